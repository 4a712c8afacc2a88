import type { Adapter } from '../types.js';
import { nestjsCqrs } from './cqrs.js';
import { nestjsEventEmitter } from './event-emitter.js';
import { nestjsMicroservices } from './microservices.js';

/** The adapters of this family, in registration order. */
export const adapters: readonly Adapter[] = [nestjsMicroservices, nestjsEventEmitter, nestjsCqrs];
