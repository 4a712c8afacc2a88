import type { Adapter } from '../types.js';
import { bullmq } from './bullmq.js';
import { dapr } from './dapr.js';
import { moleculerAdapter } from './moleculer.js';
import { redisPubsub } from './redis-pubsub.js';

/** The adapters of this family, in registration order. */
export const adapters: readonly Adapter[] = [moleculerAdapter, redisPubsub, bullmq, dapr];
