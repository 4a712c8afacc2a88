import type { Adapter } from '../types.js';
import { googlePubsub } from './google-pubsub.js';

/** The adapters of this family, in registration order. */
export const adapters: readonly Adapter[] = [googlePubsub];
