import type { Document, Node as YamlNode, YAMLMap } from 'yaml';
import { yamlModule as yaml } from '../../../util/lazy.js';
import type { DeclarationDraft, HandlerRef, MatchKind, NameExpr } from '../../../model/summary.js';
import type { Adapter, ConfigFileSummary } from '../types.js';
import { queueNameOfArn, topicNameOfArn } from './resource-names.js';

/**
 * Serverless Framework: each function's `sqs`, `sns` and `eventBridge` events in serverless.yml
 * subscribe the function's handler (`src/handlers/order.process` → export `process` of that
 * module). `${self:…}` variables are read from the same file, a variable's default stands in for
 * what only the deployment knows (like `process.env.X ?? 'fallback'`), and anything else is dynamic.
 */
export const serverless: Adapter = {
  id: 'serverless',
  title: 'Serverless Framework',
  enablers: ['serverless'],
  tokens: [],
  docs: 'docs/adapters/serverless.md',
  configFiles: ['**/serverless.{yml,yaml}'],
  visitor: () => ({}),
  extractConfigFile: (_file, text) => extractServerlessYaml(text),
};

const MAX_DEPTH = 10;

/** What an event entry subscribes to, and on which transport. */
interface Subscription {
  transport: string;
  name: NameExpr;
  match?: MatchKind;
}

function extractServerlessYaml(text: string): ConfigFileSummary {
  const lineCounter = new (yaml().LineCounter)();
  const document = yaml().parseDocument(text, { lineCounter, prettyErrors: false });
  const [error] = document.errors;
  if (error) {
    const { line, col } = lineCounter.linePos(error.pos[0]);
    return { declarations: [], routes: [], diagnostics: [{ code: 'parse-error', message: `invalid YAML: ${error.message.split('\n')[0]}`, line, column: col }] };
  }
  const config = new ServerlessConfig(document, text);
  const declarations: DeclarationDraft[] = [];
  for (const fn of config.functions()) {
    const handler = handlerOf(fn.get('handler'));
    const events = fn.get('events', true);
    for (const entry of yaml().isSeq(events) ? events.items : []) {
      if (!yaml().isMap(entry)) continue;
      const { line, col } = lineCounter.linePos(entry.range?.[0] ?? 0);
      for (const subscription of config.subscriptionsOf(entry)) {
        declarations.push({
          kind: 'subscribe',
          framework: 'serverless',
          line,
          column: col,
          ...subscription,
          ...(handler ? { handler } : {}),
        });
      }
    }
  }
  return { declarations, routes: [], diagnostics: [] };
}

/** `src/handlers/order.process` → export `process` of `./src/handlers/order`, relative to serverless.yml. */
function handlerOf(value: unknown): HandlerRef | undefined {
  if (typeof value !== 'string') return undefined;
  const dot = value.lastIndexOf('.');
  if (dot <= 0 || value.includes('${')) return undefined;
  const module = value.slice(0, dot);
  return { module: module.startsWith('.') ? module : `./${module}`, export: value.slice(dot + 1) };
}

class ServerlessConfig {
  constructor(
    private readonly document: Document,
    private readonly text: string,
  ) {}

  /** `functions:` as a map, or as a list of maps (several files merged). */
  functions(): YAMLMap[] {
    const functions = this.document.get('functions', true);
    const maps = yaml().isSeq(functions) ? functions.items : [functions];
    return maps.flatMap((map) => (yaml().isMap(map) ? map.items.map((pair) => pair.value).filter((node) => yaml().isMap(node)) : []));
  }

  subscriptionsOf(entry: YAMLMap): Subscription[] {
    const sqs = entry.get('sqs', true);
    if (sqs) {
      const arn = yaml().isMap(sqs) ? sqs.get('arn', true) : sqs;
      return [{ transport: 'sqs', name: this.resourceName(arn, 'QueueName', queueNameOfArn) }];
    }
    const sns = entry.get('sns', true);
    if (sns) {
      const topicName = yaml().isMap(sns) ? sns.get('topicName', true) : undefined;
      if (topicName) return [{ transport: 'sns', name: this.value(topicName) }];
      return [{ transport: 'sns', name: this.resourceName(yaml().isMap(sns) ? sns.get('arn', true) : sns, 'TopicName', topicNameOfArn) }];
    }
    const eventBridge = entry.get('eventBridge', true);
    if (yaml().isMap(eventBridge)) {
      const pattern = eventBridge.get('pattern', true);
      // A schedule invokes the function on a timer: no event.
      if (!pattern && eventBridge.get('schedule')) return [];
      const detailTypes = yaml().isMap(pattern) ? pattern.get('detail-type', true) : undefined;
      if (!yaml().isSeq(detailTypes)) return [{ transport: 'eventbridge', name: this.dynamic(pattern ?? eventBridge) }];
      return detailTypes.items.map((item) => this.detailType(item as YamlNode));
    }
    return [];
  }

  /** A detail type, or a content filter: `{ prefix: Order }` is a glob. */
  private detailType(item: YamlNode): Subscription {
    const prefix = yaml().isMap(item) ? item.get('prefix', true) : undefined;
    if (prefix) {
      const name: NameExpr = { kind: 'template', parts: [this.value(prefix), { kind: 'literal', value: '*' }], text: this.source(item) };
      return { transport: 'eventbridge', name, match: 'glob' };
    }
    return { transport: 'eventbridge', name: yaml().isScalar(item) ? this.value(item) : this.dynamic(item) };
  }

  /**
   * A queue's or topic's name from how its ARN is written: a string (its last `:` segment), or
   * CloudFormation's `Fn::GetAtt` / `Ref` of a resource of this file (its `QueueName` or
   * `TopicName`, else the resource's logical id), `Fn::Join` and `Fn::Sub` as templates.
   */
  private resourceName(written: unknown, nameProperty: string, fromArn: (arn: NameExpr) => NameExpr, depth = 0): NameExpr {
    const node = this.dereference(written);
    if (!node || depth > MAX_DEPTH) return this.dynamic(written);
    const intrinsic = this.intrinsic(node);
    if (!intrinsic) return yaml().isScalar(node) && !node.tag ? fromArn(this.value(node)) : this.dynamic(node);
    const { fn, argument } = intrinsic;
    if (fn === 'Ref' || fn === 'GetAtt') {
      const logicalId = yaml().isSeq(argument) ? scalarText(argument.items[0]) : scalarText(argument)?.split('.')[0];
      if (!logicalId) return this.dynamic(node);
      const resource = this.document.getIn(['resources', 'Resources', logicalId], true);
      const name = yaml().isMap(resource) ? this.document.getIn(['resources', 'Resources', logicalId, 'Properties', nameProperty], true) : undefined;
      if (yaml().isMap(resource) && !resource.get('Type')?.toString().match(/^AWS::(SQS::Queue|SNS::Topic)$/)) return this.dynamic(node);
      const resolved = name ? this.value(name, depth + 1) : { kind: 'literal' as const, value: logicalId };
      return resolved.kind === 'literal' ? { kind: 'template', parts: [resolved], text: this.source(written) } : resolved;
    }
    if (fn === 'Join' && yaml().isSeq(argument)) {
      const [separator, parts] = argument.items;
      if (!yaml().isSeq(parts)) return this.dynamic(node);
      const joined: NameExpr[] = [];
      parts.items.forEach((part, index) => {
        if (index > 0 && scalarText(separator)) joined.push({ kind: 'literal', value: scalarText(separator)! });
        joined.push(yaml().isScalar(part) && !part.tag ? this.value(part, depth + 1) : this.dynamic(part));
      });
      return fromArn({ kind: 'template', parts: joined, text: this.source(node) });
    }
    if (fn === 'Sub' && yaml().isScalar(argument)) return fromArn(this.value(argument, depth + 1));
    return this.dynamic(node);
  }

  /** What a value that is only `${self:path}` points to, when that is not a string (`custom.queueArn: !GetAtt …`). */
  private dereference(node: unknown, depth = 0): unknown {
    const reference = yaml().isScalar(node) && typeof node.value === 'string' ? /^\$\{self:([^,}]+)\}$/.exec(node.value.trim()) : null;
    if (!reference || depth > MAX_DEPTH) return node;
    const found = this.document.getIn(reference[1]!.trim().split('.').filter(Boolean), true);
    return found === undefined || yaml().isScalar(found) ? node : this.dereference(found, depth + 1);
  }

  /** `Fn::GetAtt: [Queue, Arn]`, `!GetAtt Queue.Arn`, `Ref: Topic`, `!Ref Topic`, … */
  private intrinsic(node: unknown): { fn: string; argument: unknown } | undefined {
    if (yaml().isMap(node) && node.items.length === 1) {
      const [pair] = node.items;
      const key = yaml().isPair(pair) && yaml().isScalar(pair.key) ? String(pair.key.value) : '';
      if (key === 'Ref' || key.startsWith('Fn::')) return { fn: key.replace(/^Fn::/, ''), argument: pair!.value };
    }
    const tag = (node as { tag?: string } | undefined)?.tag;
    if (tag?.startsWith('!')) return { fn: tag.slice(1), argument: node };
    return undefined;
  }

  /** A string value with its `${…}` variables resolved as far as this file allows. */
  private value(node: unknown, depth = 0): NameExpr {
    if (!yaml().isScalar(node) || node.value === null || typeof node.value === 'object') return this.dynamic(node);
    return this.interpolate(String(node.value), depth);
  }

  private interpolate(text: string, depth: number): NameExpr {
    const parts: NameExpr[] = [];
    let literal = '';
    let index = 0;
    while (index < text.length) {
      const start = text.indexOf('${', index);
      const end = start === -1 ? -1 : closingBrace(text, start + 2);
      if (start === -1 || end === -1) {
        literal += text.slice(index);
        break;
      }
      literal += text.slice(index, start);
      const variable = this.variable(text.slice(start + 2, end).trim(), text.slice(start, end + 1), depth);
      if (variable.kind === 'literal') literal += variable.value;
      else {
        if (literal) parts.push({ kind: 'literal', value: literal });
        literal = '';
        parts.push(variable);
      }
      index = end + 1;
    }
    if (parts.length === 0) return { kind: 'literal', value: literal, ...(depth > 0 ? { constant: true } : {}) };
    if (literal) parts.push({ kind: 'literal', value: literal });
    return parts.length === 1 ? parts[0]! : { kind: 'template', parts, text };
  }

  /** `${self:custom.queue}` from this file; `${env:X, 'fallback'}` as an environment variable with a fallback. */
  private variable(body: string, written: string, depth: number): NameExpr {
    if (depth > MAX_DEPTH) return { kind: 'dynamic', text: written };
    const comma = topLevelComma(body);
    const reference = (comma === -1 ? body : body.slice(0, comma)).trim();
    const fallback = comma === -1 ? undefined : body.slice(comma + 1).trim();
    if (reference.startsWith('self:')) {
      const path = reference.slice('self:'.length).split('.').filter(Boolean);
      const found = this.document.getIn(path, true);
      if (yaml().isScalar(found) && found.value !== null) return this.value(found, depth + 1);
    }
    if (fallback === undefined) return { kind: 'dynamic', text: written };
    const quoted = /^(['"])(.*)\1$/.exec(fallback);
    const value = quoted ? { kind: 'literal' as const, value: quoted[2]! } : this.interpolate(fallback.includes('${') ? fallback : `\${${fallback}}`, depth + 1);
    return reference.startsWith('self:') ? value : { kind: 'env', fallback: value, text: written };
  }

  private dynamic(node: unknown): NameExpr {
    return { kind: 'dynamic', text: this.source(node) };
  }

  private source(node: unknown): string {
    const range = (node as { range?: [number, number, number] } | undefined)?.range;
    const tag = (node as { tag?: string } | undefined)?.tag;
    const value = range ? this.text.slice(range[0], range[1]).replace(/\s+/g, ' ').trim() : '';
    const written = tag?.startsWith('!') && !value.startsWith(tag) ? `${tag} ${value}` : value;
    return written.length > 80 ? `${written.slice(0, 77)}...` : written || '(unknown)';
  }
}

function scalarText(node: unknown): string | undefined {
  return yaml().isScalar(node) && (typeof node.value === 'string' || typeof node.value === 'number') ? String(node.value) : undefined;
}

function closingBrace(text: string, from: number): number {
  let depth = 1;
  for (let index = from; index < text.length; index++) {
    if (text[index] === '{') depth++;
    else if (text[index] === '}' && --depth === 0) return index;
  }
  return -1;
}

function topLevelComma(body: string): number {
  let depth = 0;
  for (let index = 0; index < body.length; index++) {
    if (body[index] === '{') depth++;
    else if (body[index] === '}') depth--;
    else if (body[index] === ',' && depth === 0) return index;
  }
  return -1;
}
