import { adapters as amqp } from './amqp/index.js';
import { adapters as asyncapi } from './asyncapi/index.js';
import { adapters as aws } from './aws/index.js';
import { eventemitter } from './eventemitter.js';
import { adapters as gcp } from './gcp/index.js';
import { kafkajs } from './kafkajs.js';
import { adapters as nats } from './nats/index.js';
import { adapters as nestjs } from './nestjs/index.js';
import { adapters as pubsubQueues } from './pubsub-queues/index.js';
import type { Adapter } from './types.js';

/** Every adapter, in the order their declarations are reported for the same site. */
export const ADAPTERS: readonly Adapter[] = [kafkajs, eventemitter, ...amqp, ...nestjs, ...aws, ...nats, ...gcp, ...pubsubQueues, ...asyncapi];

export interface AdapterSelection {
  adapters: Adapter[];
  unknown: string[];
}

/** Adapters whose library is a dependency, plus built-ins, as overridden by the config's `adapters`. */
export function selectAdapters(dependencies: ReadonlySet<string>, overrides: Readonly<Record<string, boolean>>): AdapterSelection {
  const adapters = ADAPTERS.filter((adapter) => {
    const override = overrides[adapter.id];
    if (override !== undefined) return override;
    return adapter.builtin === true || adapter.enablers.some((name) => dependencies.has(name));
  });
  const unknown = Object.keys(overrides).filter((id) => !ADAPTERS.some((adapter) => adapter.id === id));
  return { adapters, unknown };
}

export type { Adapter } from './types.js';
