import type { Adapter } from '../types.js';

/** The adapters of this family, in registration order. */
export const adapters: readonly Adapter[] = [];
