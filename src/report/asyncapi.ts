import { yamlModule } from '../util/lazy.js';
import type { Declaration, Result } from '../model/result.js';
import { compareBy } from '../util/compare.js';

const KEY = /[^A-Za-z0-9_-]+/g;

/**
 * An AsyncAPI 3.0 document of one service, written from what its code does: a channel per event
 * it publishes or subscribes to, a send or receive operation per channel, and each operation's
 * source sites in `x-choreolint-sources`. What AsyncAPI cannot state (a regular expression
 * subscription, a dynamic name, in-process events, request/reply) is listed in `info` instead.
 */
export function renderAsyncApi(result: Result, service: string): string {
  const declarations = result.declarations
    .filter((declaration) => declaration.service === service && declaration.framework !== 'asyncapi' && !declaration.repository)
    .sort(compareBy<Declaration>((d) => d.event, (d) => d.kind, (d) => d.file, (d) => d.line, (d) => d.column));
  const representable = declarations.filter((d) => !d.dynamic && d.transport !== 'in-process' && d.transport !== 'rpc' && (d.match === undefined || d.match === 'glob'));
  const omitted = declarations.filter((d) => !representable.includes(d));

  const channelKeys = uniqueKeys([...new Set(representable.map((d) => d.event))]);
  const channels: Record<string, unknown> = {};
  const operations: Record<string, unknown> = {};
  for (const [event, channelKey] of channelKeys) {
    channels[channelKey] = { address: event, messages: { [channelKey]: { name: event } } };
    for (const kind of ['publish', 'subscribe'] as const) {
      const sites = representable.filter((d) => d.event === event && d.kind === kind);
      if (sites.length === 0) continue;
      const action = kind === 'publish' ? 'send' : 'receive';
      operations[`${action}_${channelKey}`] = {
        action,
        channel: { $ref: `#/channels/${channelKey}` },
        messages: [{ $ref: `#/channels/${channelKey}/messages/${channelKey}` }],
        'x-choreolint-sources': sites.map((d) => ({ file: d.file, line: d.line, framework: d.framework })),
      };
    }
  }
  const document = {
    asyncapi: '3.0.0',
    info: {
      title: service,
      version: '0.0.0',
      description: `Written by choreolint ${result.tool.version} from the code of ${service}.`,
      ...(omitted.length > 0
        ? { 'x-choreolint-omitted': omitted.map((d) => ({ kind: d.kind, event: d.event, reason: reasonOmitted(d), file: d.file, line: d.line })) }
        : {}),
    },
    channels,
    operations,
  };
  return yamlModule().stringify(document, { lineWidth: 0, sortMapEntries: false });
}

function reasonOmitted(declaration: Declaration): string {
  if (declaration.dynamic) return 'the name could not be resolved statically';
  if (declaration.transport === 'in-process') return 'in-process event';
  if (declaration.transport === 'rpc') return 'request/reply';
  return `${declaration.match} pattern`;
}

/** Channel keys from event names: AsyncAPI keys allow letters, digits, `_` and `-`. */
function uniqueKeys(events: string[]): Map<string, string> {
  const keys = new Map<string, string>();
  const used = new Set<string>();
  for (const event of events.sort()) {
    const base = event.replace(KEY, '_').replace(/^_+|_+$/g, '') || 'channel';
    let key = base;
    for (let index = 2; used.has(key); index++) key = `${base}_${index}`;
    used.add(key);
    keys.set(event, key);
  }
  return keys;
}
