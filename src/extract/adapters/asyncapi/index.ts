import type { Adapter } from '../types.js';
import { asyncapi } from './asyncapi.js';

export const adapters: readonly Adapter[] = [asyncapi];
