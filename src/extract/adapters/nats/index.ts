import type { Adapter } from '../types.js';
import { nats } from './nats.js';
import { nodeNatsStreaming } from './node-nats-streaming.js';

/** The adapters of this family, in registration order. */
export const adapters: readonly Adapter[] = [nats, nodeNatsStreaming];
