import type { Adapter } from '../types.js';
import { amqplib } from './amqplib.js';
import { golevelupRabbitmq } from './golevelup-rabbitmq.js';

/** The adapters of this family, in registration order. */
export const adapters: readonly Adapter[] = [amqplib, golevelupRabbitmq];
