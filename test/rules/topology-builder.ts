import { configureRules } from '../../src/check/configure.js';
import { wildcardMatcher } from '../../src/util/regexp.js';
import { RULES } from '../../src/check/registry.js';
import { runRules } from '../../src/check/run.js';
import type { RuleSetting } from '../../src/config/types.js';
import { buildTopology } from '../../src/graph/topology.js';
import type { Declaration, Finding, Handler } from '../../src/model/result.js';

/**
 * `service: handler(event) → published events`, one line per handler; `consumes: null` is code
 * that publishes without consuming (an HTTP route, a scheduled job).
 */
export type HandlerSpec = [service: string, handler: string, consumes: string | null, publishes: string[]];

/**
 * A topology built from a compact list of handlers, for rule tests: each handler lives in
 * `<service>/handlers.ts`, subscribes at one line and publishes at the following lines.
 */
export function topologyOf(specs: HandlerSpec[], repositories: Record<string, string> = {}) {
  const declarations: Declaration[] = [];
  const handlers: Handler[] = [];
  specs.forEach(([service, name, consumes, publishes], index) => {
    const file = `${service}/handlers.ts`;
    // A service of another repository (merged with --with): its sites say which.
    const repository = repositories[service] ? { repository: repositories[service] } : {};
    const line = (index + 1) * 10;
    const handlerId = `${file}#${name}`;
    const published = publishes.map((event, offset) => declaration(service, file, line + offset + 1, 'publish', event, { function: handlerId, ...repository }));
    if (consumes === null) {
      declarations.push(...published);
      return;
    }
    const subscribe: Declaration = declaration(service, file, line, 'subscribe', consumes, { handler: handlerId, ...repository });
    declarations.push(subscribe, ...published);
    handlers.push({
      id: handlerId,
      name,
      service,
      file,
      line,
      column: 1,
      ...repository,
      subscribes: [subscribe.id],
      triggers: published.map((p) => ({ declaration: p.id, event: p.event, via: [] })),
    });
  });
  const services = [...new Set(specs.map(([service]) => service))].sort().map((name) => ({ name, path: name, source: 'folder' as const }));
  return buildTopology({ services, declarations, routes: [], handlers });
}

function declaration(service: string, file: string, line: number, kind: 'publish' | 'subscribe', event: string, extra: Partial<Declaration>): Declaration {
  return {
    id: `${file}:${line}:1:${kind}:${event}`,
    kind,
    event,
    service,
    framework: 'kafkajs',
    transport: 'kafka',
    file,
    line,
    column: 1,
    resolution: 'literal',
    dynamic: false,
    ...extra,
  };
}

/** Findings of exactly the given rules (every other rule off). */
export function findingsOf(specs: HandlerSpec[], rules: Record<string, RuleSetting>, external: string[] = [], repositories: Record<string, string> = {}): Finding[] {
  const only = Object.fromEntries(RULES.map((rule) => [rule.meta.id, rules[rule.meta.id] ?? 'off'])) as Record<string, RuleSetting>;
  const configured = configureRules(only);
  if (configured.problems.length > 0) throw new Error(configured.problems.map((p) => p.message).join('\n'));
  return runRules(topologyOf(specs, repositories), configured.rules, { isExternal: wildcardMatcher(external) }).findings;
}
