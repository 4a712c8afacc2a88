import { stringify } from 'yaml';
import type { ConfigPlan, Library } from './plan.js';

/** Rule settings a valid config may hold: every one accepted by its rule's schema. */
export const RULE_SETTINGS: ReadonlyArray<[string, unknown]> = [
  ['event-cycle', 'off'],
  ['event-cycle', ['error', { allow: [{ events: ['order.placed', 'payment.failed'], reason: 'bounded retry' }] }]],
  ['fan-out', ['warn', { max: 2 }]],
  ['orphan-event', 'error'],
  ['linear-chain', ['warn', { minLength: 2 }]],
  ['non-idempotent-handler', ['warn', { atMostOnce: ['in-process'], vocabulary: { helpers: ['withInbox'], writes: ['persistAll'] } }]],
  ['missing-compensation', ['error', { failureEvents: ['*.failed'], noCompensation: ['audit'], compensations: { 'payment.failed': 'order.cancelled' } }]],
  ['service-cycle', ['warn', { allow: [{ services: ['orders', 'payments'], reason: 'legacy saga' }] }]],
  ['unresolved-event-name', 'off'],
  ['dangling-subscription', 'warn'],
  ['spec-drift', 'off'],
  ['invalid-suppression', 'error'],
];

/** Configs that must be rejected with a ConfigError: YAML, shape, rule and adapter problems. */
export const INVALID_YAML_CONFIGS: readonly string[] = [
  'servces: []\n',
  'rules:\n  event-cycle: [warn\n',
  'maxCallDepth: deep\n',
  'maxCallDepth: 100\n',
  'maxCallDepth: -1\n',
  'include: src\n',
  'rules:\n  evnt-cycle: warn\n',
  'rules:\n  event-cycle: fatal\n',
  'rules:\n  fan-out: [warn, { max: 0 }]\n',
  'rules:\n  fan-out: [warn, { maximum: 3 }]\n',
  'rules:\n  fan-out: [warn, { max: 2 }, extra]\n',
  'rules:\n  event-cycle: [warn, { allow: [{ events: [] }] }]\n',
  'rules:\n  service-cycle: [warn, { allow: [{ services: [orders], reason: x }] }]\n',
  'rules:\n  non-idempotent-handler: [warn, { vocabulary: { verbs: [x] } }]\n',
  "rules:\n  missing-compensation: [warn, { failurePatterns: ['('] }]\n",
  'rules: [event-cycle]\n',
  'adapters:\n  kafka: true\n',
  'adapters:\n  kafkajs: yes please\n',
  'services:\n  - name: api\n',
  'services:\n  - name: ""\n    paths: [src/**]\n',
  'services: { name: api }\n',
  'declare:\n  - receiver: Bus\n',
  'declare:\n  - publish: a\n    subscribe: b\n',
  'declare:\n  - publish: ""\n',
  'declare:\n  - publish: send\n    event: -1\n',
  '- just\n- a list\n',
  '42\n',
  '"a string"\n',
  'maxCallDepth: 3\nmaxCallDepth: 4\n',
  'external: [1, 2]\n',
  'external: "*"\n',
  'excludeDefaults: maybe\n',
  'asyncapi:\n  documents: docs/*.yaml\n',
  'asyncapi:\n  servces: {}\n',
  'rules:\n  event-cycle: warn\n  : broken\n',
  'rules: &a\n  event-cycle: *b\n',
  'key: "unterminated\n',
  'rules:\n\tevent-cycle: warn\n',
];

export const INVALID_JSON_CONFIGS: readonly string[] = ['{ "rules": { "event-cycle": "fatal" } }\n', '{ "maxCallDepth": "3" }\n', '{ "include": [\n', '[]\n', '{ "servces": [] }\n'];

export interface RenderedConfig {
  path: string;
  text: string;
  /** Whether analyze() must accept it, reject it, or may do either. */
  outcome: 'accepted' | 'rejected' | 'either';
}

export interface ConfigContext {
  /** Each service's directory, by plan index. */
  serviceDirs: readonly string[];
}

/** The config file a plan describes, if any. */
export function renderConfig(plan: ConfigPlan, context: ConfigContext): RenderedConfig | undefined {
  switch (plan.kind) {
    case 'none':
      return undefined;
    case 'invalid': {
      const texts = plan.file === 'choreolint.json' ? INVALID_JSON_CONFIGS : INVALID_YAML_CONFIGS;
      return { path: plan.file, text: texts[plan.variant % texts.length]!, outcome: 'rejected' };
    }
    case 'mutated': {
      let text = validText(validConfigObject({ kind: 'valid', format: 'yaml-block', renamedServices: [0], adaptersOff: [], declare: true, rules: [1, 5, 6], external: ['partner.*'], maxCallDepth: 4 }, context), 'yaml-block');
      for (const edit of plan.edits) {
        const at = edit.at % (text.length + 1);
        text = text.slice(0, at) + edit.insert + text.slice(at + edit.remove);
      }
      return { path: 'choreolint.yaml', text, outcome: 'either' };
    }
    case 'valid':
      return { path: plan.format === 'json' ? 'choreolint.json' : 'choreolint.yaml', text: validText(validConfigObject(plan, context), plan.format), outcome: 'accepted' };
  }
}

/** The configured name of a service the config renames. */
export function configuredServiceName(name: string): string {
  return `team-${name}`;
}

function validConfigObject(plan: Extract<ConfigPlan, { kind: 'valid' }>, context: ConfigContext): Record<string, unknown> {
  const config: Record<string, unknown> = {};
  const renamed = [...new Set(plan.renamedServices.map((index) => index % Math.max(context.serviceDirs.length, 1)))].filter((index) => context.serviceDirs[index]);
  if (renamed.length > 0) {
    config.services = renamed.map((index) => {
      const dir = context.serviceDirs[index]!;
      return { name: configuredServiceName(dir.split('/').at(-1)!), paths: [`${dir}/**`] };
    });
  }
  if (plan.adaptersOff.length > 0) config.adapters = Object.fromEntries(plan.adaptersOff.filter((library) => library !== 'declared').map((library: Library) => [library, false]));
  if (plan.declare) config.declare = [{ publish: 'emitDomainEvent' }, { subscribe: 'onDomainEvent', transport: 'custom' }];
  if (plan.rules.length > 0) config.rules = Object.fromEntries(plan.rules.map((index) => RULE_SETTINGS[index % RULE_SETTINGS.length]!));
  if (plan.external.length > 0) config.external = plan.external;
  if (plan.maxCallDepth !== undefined) config.maxCallDepth = plan.maxCallDepth;
  if (plan.rules.length % 2 === 1) config.exclude = ['**/legacy/**'];
  return config;
}

function validText(config: Record<string, unknown>, format: 'yaml-block' | 'yaml-flow' | 'json'): string {
  if (format === 'json') return `${JSON.stringify(config, null, 2)}\n`;
  if (format === 'yaml-flow') return `${JSON.stringify(config)}\n`;
  return `# choreolint configuration\n${stringify(config)}`;
}
