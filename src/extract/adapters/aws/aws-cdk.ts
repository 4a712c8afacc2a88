import path from 'node:path';
import type { ts } from 'ts-morph';
import type { HandlerRef, MatchKind, NameExpr } from '../../../model/summary.js';
import { lookupLocal } from '../../scope.js';
import { unwrap } from '../../syntax.js';
import type { Adapter, ExtractContext } from '../types.js';
import { queueNameOfArn, topicNameOfArn, valueOf } from './resource-names.js';

type ChannelKind = 'topic' | 'queue';

/** What a construct is, as far as messages go. */
type Construct =
  | { kind: ChannelKind; name: NameExpr }
  | { kind: 'function'; handler?: HandlerRef; eventSources: ts.Expression[] }
  | { kind: 'rule'; name: NameExpr; patterns: Pattern[]; targets: ts.Expression[] }
  /** A target, subscription or event source wrapping the construct passed as its first argument. */
  | { kind: Wiring; of: ChannelKind | 'function'; argument?: ts.Expression };

/** A detail type a rule matches, where it is written. */
interface Pattern {
  node: ts.Node;
  name: NameExpr;
  match?: MatchKind;
}

type Wiring = 'target' | 'subscription' | 'event-source';

/** CDK classes by `<module>.<class>`, the module without its `aws-cdk-lib/` or `@aws-cdk/` prefix. */
const CONSTRUCTS: Record<string, ChannelKind | 'rule' | 'function' | { wiring: Wiring; of: ChannelKind | 'function' }> = {
  'aws-sns.Topic': 'topic',
  'aws-sqs.Queue': 'queue',
  'aws-events.Rule': 'rule',
  'aws-lambda.Function': 'function',
  'aws-lambda-nodejs.NodejsFunction': 'function',
  'aws-events-targets.LambdaFunction': { wiring: 'target', of: 'function' },
  'aws-events-targets.SqsQueue': { wiring: 'target', of: 'queue' },
  'aws-events-targets.SnsTopic': { wiring: 'target', of: 'topic' },
  'aws-sns-subscriptions.SqsSubscription': { wiring: 'subscription', of: 'queue' },
  'aws-sns-subscriptions.LambdaSubscription': { wiring: 'subscription', of: 'function' },
  'aws-lambda-event-sources.SqsEventSource': { wiring: 'event-source', of: 'queue' },
  'aws-lambda-event-sources.SnsEventSource': { wiring: 'event-source', of: 'topic' },
};

/** The methods that attach wiring: `rule.addTarget`, `topic.addSubscription`, `fn.addEventSource`. */
const ATTACH: Record<string, Wiring> = { addTarget: 'target', addSubscription: 'subscription', addEventSource: 'event-source' };

/** Topics and queues of other stacks, by ARN: `sns.Topic.fromTopicArn(this, 'Orders', arn)`. */
const IMPORTED: Record<string, { construct: string; kind: ChannelKind; nameOf: (arn: NameExpr) => NameExpr }> = {
  fromTopicArn: { construct: 'aws-sns.Topic', kind: 'topic', nameOf: topicNameOfArn },
  fromQueueArn: { construct: 'aws-sqs.Queue', kind: 'queue', nameOf: queueNameOfArn },
};

const TRANSPORT: Record<ChannelKind, string> = { topic: 'sns', queue: 'sqs' };

/**
 * AWS CDK infrastructure code: EventBridge rules and their targets, SNS subscriptions and Lambda
 * event sources, between topics, queues and functions built in the same file. Rules, topic
 * subscriptions and rule targets become routes; a Lambda function subscribes to what invokes it,
 * with the handler its `entry`/`handler` props name.
 */
export const awsCdk: Adapter = {
  id: 'aws-cdk',
  title: 'AWS CDK',
  enablers: ['aws-cdk-lib', '@aws-cdk/aws-events', '@aws-cdk/aws-sns', '@aws-cdk/aws-sqs', '@aws-cdk/aws-lambda-event-sources'],
  tokens: ['aws-cdk-lib', '@aws-cdk/'],
  docs: 'docs/adapters/aws-cdk.md',
  visitor(context) {
    const { ts } = context;
    const imports = cdkImports(context);
    const constructs = new Map<ts.Node, Construct>();
    /** Fields assigned a construct (`this.queue = new sqs.Queue(…)`), by class and field name. */
    const fields = new Map<ts.Node, Map<string, ts.Expression>>();
    const attached: Array<{ owner: ts.Expression; wiring: Wiring; argument: ts.Expression }> = [];
    const addedPatterns: Array<{ owner: ts.Expression; pattern: ts.Expression }> = [];

    const constructOf = (input: ts.Expression | undefined, depth = 0): Construct | undefined => {
      if (!input || depth > 8) return undefined;
      const expression = unwrap(ts, input);
      if (ts.isNewExpression(expression) || ts.isCallExpression(expression)) return constructs.get(expression);
      if (ts.isIdentifier(expression)) return constructOf(initializerOf(context, expression), depth + 1);
      if (ts.isPropertyAccessExpression(expression) && expression.expression.kind === ts.SyntaxKind.ThisKeyword) {
        const owner = enclosingClass(context, expression);
        return constructOf(owner && fields.get(owner)?.get(expression.name.text), depth + 1);
      }
      return undefined;
    };

    const wiringOf = (expression: ts.Expression, wiring: Wiring) => {
      const construct = constructOf(expression);
      return construct && 'of' in construct && construct.kind === wiring ? construct : undefined;
    };

    const channelName = (argument: ts.Expression | undefined, kind: ChannelKind | 'function'): NameExpr => {
      const construct = constructOf(argument);
      if (construct?.kind === kind && 'name' in construct) return construct.name;
      return { kind: 'dynamic', text: argument ? context.text(argument) : kind };
    };

    const subscribe = (node: ts.Node, name: NameExpr, transport: string, fn: ts.Expression | undefined) => {
      const construct = constructOf(fn);
      const handler = construct?.kind === 'function' ? construct.handler : undefined;
      context.declare(node, { kind: 'subscribe', framework: 'aws-cdk', transport, name, ...(handler ? { handler } : {}) });
    };

    const route = (node: ts.Node, transport: string, from: NameExpr, to: NameExpr, fromMatch?: MatchKind) =>
      context.route(node, { framework: 'aws-cdk', transport, from, ...(fromMatch ? { fromMatch } : {}), to });

    /** `new SqsEventSource(queue)` on a function: the function subscribes to the queue (or topic). */
    const invoke = (source: ts.Expression, fn: ts.Expression | undefined) => {
      const wiring = wiringOf(source, 'event-source');
      if (wiring && wiring.of !== 'function') subscribe(source, channelName(wiring.argument, wiring.of), TRANSPORT[wiring.of], fn);
    };

    /** `topic.addSubscription(…)`: an SQS subscription routes the topic into the queue; a Lambda one subscribes the function. */
    const subscribeToTopic = (topic: ts.Expression, argument: ts.Expression) => {
      const subscription = wiringOf(argument, 'subscription');
      if (subscription?.of === 'function') subscribe(argument, channelName(topic, 'topic'), 'sns', subscription.argument);
      else if (subscription) route(argument, 'sns', channelName(topic, 'topic'), channelName(subscription.argument, subscription.of));
    };

    /** A rule routes its detail types into itself, and itself into its queue and topic targets; its Lambda targets subscribe to it. */
    const wireRule = (rule: Extract<Construct, { kind: 'rule' }>) => {
      for (const pattern of rule.patterns) route(pattern.node, 'eventbridge', pattern.name, rule.name, pattern.match);
      // Without a detail type the rule matches events this model cannot name: its functions react to something unknown.
      const matched = rule.patterns.some((pattern) => pattern.name.kind !== 'dynamic') ? rule.name : (rule.patterns[0]?.name ?? rule.name);
      for (const target of rule.targets) {
        const wiring = wiringOf(target, 'target');
        if (wiring?.of === 'function') subscribe(target, matched, 'eventbridge', wiring.argument);
        else if (wiring) route(target, 'eventbridge', rule.name, channelName(wiring.argument, wiring.of));
      }
    };

    const remember = (node: ts.NewExpression | ts.CallExpression) => {
      let parent = node.parent;
      while (ts.isParenthesizedExpression(parent) || ts.isAsExpression(parent) || ts.isSatisfiesExpression(parent)) parent = parent.parent;
      let owner: ts.Node | undefined;
      let field: string | undefined;
      if (ts.isPropertyDeclaration(parent) && ts.isIdentifier(parent.name)) {
        owner = parent.parent;
        field = parent.name.text;
      } else if (ts.isBinaryExpression(parent) && parent.operatorToken.kind === ts.SyntaxKind.EqualsToken) {
        const target = unwrap(ts, parent.left);
        if (ts.isPropertyAccessExpression(target) && target.expression.kind === ts.SyntaxKind.ThisKeyword) {
          owner = enclosingClass(context, target);
          field = target.name.text;
        }
      }
      if (owner && field) fields.set(owner, (fields.get(owner) ?? new Map()).set(field, node));
    };

    return {
      newExpression(node) {
        const kind = CONSTRUCTS[cdkClassOf(context, imports, node.expression) ?? ''];
        if (!kind) return;
        const [first, id, props] = node.arguments ?? [];
        let construct: Construct;
        if (typeof kind === 'object') construct = { kind: kind.wiring, of: kind.of, ...(first ? { argument: first } : {}) };
        else if (kind === 'function') construct = { kind, ...lambdaHandler(context, props), eventSources: [...arrayElements(context, context.property(props, 'events'))] };
        else if (!id) return;
        else if (kind === 'rule') {
          const eventPattern = context.property(props, 'eventPattern');
          // A scheduled rule runs its targets on a timer: no event reaches them.
          if (!eventPattern && context.property(props, 'schedule')) return;
          construct = {
            kind,
            name: context.nameOf(context.property(props, 'ruleName') ?? id),
            patterns: eventPattern ? detailTypes(context, eventPattern) : [],
            targets: [...arrayElements(context, context.property(props, 'targets'))],
          };
        } else construct = { kind, name: context.nameOf(context.property(props, kind === 'topic' ? 'topicName' : 'queueName') ?? id) };
        constructs.set(node, construct);
        remember(node);
      },
      call(node) {
        const callee = unwrap(ts, node.expression);
        const [argument] = node.arguments;
        if (!ts.isPropertyAccessExpression(callee) || !argument) return;
        const method = callee.name.text;
        const imported = Object.hasOwn(IMPORTED, method) ? IMPORTED[method] : undefined;
        if (imported && cdkClassOf(context, imports, callee.expression) === imported.construct && node.arguments[2]) {
          constructs.set(node, { kind: imported.kind, name: imported.nameOf(valueOf(context, node.arguments[2])) });
          remember(node);
          return;
        }
        if (method === 'addEventPattern') addedPatterns.push({ owner: callee.expression, pattern: argument });
        const wiring = Object.hasOwn(ATTACH, method) ? ATTACH[method] : undefined;
        if (wiring) attached.push({ owner: callee.expression, wiring, argument });
      },
      finish() {
        for (const { owner, pattern } of addedPatterns) {
          const rule = constructOf(owner);
          if (rule?.kind === 'rule') rule.patterns.push(...detailTypes(context, pattern));
        }
        for (const { owner, wiring, argument } of attached) {
          const construct = constructOf(owner);
          if (wiring === 'target' && construct?.kind === 'rule') construct.targets.push(argument);
          else if (wiring === 'event-source' && construct?.kind === 'function') construct.eventSources.push(argument);
          // A function built elsewhere (a prop of the stack) still subscribes, with its handler unknown.
          else if (wiring === 'event-source') invoke(argument, undefined);
          else if (wiring === 'subscription') subscribeToTopic(owner, argument);
        }
        for (const [node, construct] of constructs) {
          if (construct.kind === 'rule') wireRule(construct);
          if (construct.kind === 'function') for (const source of construct.eventSources) invoke(source, node as ts.Expression);
        }
      },
    };
  },
};

/** Local names bound to CDK modules: `import * as sqs from 'aws-cdk-lib/aws-sqs'`, `import { aws_sqs as sqs } from 'aws-cdk-lib'`. */
function cdkImports(context: ExtractContext): Map<string, { module: string; imported: string }> {
  const { ts } = context;
  const imports = new Map<string, { module: string; imported: string }>();
  const isCdk = (module: string) => module === 'aws-cdk-lib' || module.startsWith('aws-cdk-lib/') || module.startsWith('@aws-cdk/');
  for (const statement of context.sourceFile.statements) {
    if (ts.isImportDeclaration(statement) && ts.isStringLiteral(statement.moduleSpecifier) && isCdk(statement.moduleSpecifier.text)) {
      const module = statement.moduleSpecifier.text;
      const clause = statement.importClause;
      if (clause?.name) imports.set(clause.name.text, { module, imported: 'default' });
      const bindings = clause?.namedBindings;
      if (bindings && ts.isNamespaceImport(bindings)) imports.set(bindings.name.text, { module, imported: '*' });
      if (bindings && ts.isNamedImports(bindings)) {
        for (const element of bindings.elements) imports.set(element.name.text, { module, imported: (element.propertyName ?? element.name).text });
      }
    } else if (
      ts.isImportEqualsDeclaration(statement) &&
      ts.isExternalModuleReference(statement.moduleReference) &&
      ts.isStringLiteral(statement.moduleReference.expression) &&
      isCdk(statement.moduleReference.expression.text)
    ) {
      imports.set(statement.name.text, { module: statement.moduleReference.expression.text, imported: '*' });
    }
  }
  return imports;
}

/** `<module>.<class>` of a CDK class expression (`events.Rule`, `cdk.aws_events.Rule`, `Rule`), or undefined if not CDK's. */
function cdkClassOf(context: ExtractContext, imports: Map<string, { module: string; imported: string }>, expression: ts.Expression): string | undefined {
  const { ts } = context;
  const accessed: string[] = [];
  let current = unwrap(ts, expression);
  while (ts.isPropertyAccessExpression(current)) {
    accessed.unshift(current.name.text);
    current = unwrap(ts, current.expression);
  }
  const binding = ts.isIdentifier(current) ? imports.get(current.text) : undefined;
  if (!binding) return undefined;
  const members = binding.imported === '*' || binding.imported === 'default' ? accessed : [binding.imported, ...accessed];
  if (binding.module !== 'aws-cdk-lib') return [binding.module.replace(/^(aws-cdk-lib|@aws-cdk)\//, ''), ...members].join('.');
  const [submodule, ...rest] = members;
  return submodule ? [submodule.replace(/_/g, '-'), ...rest].join('.') : undefined;
}

/** The detail types an event pattern matches: `detailType: ['OrderPlaced']`, or `Match.prefix('Order')` as a glob. */
function detailTypes(context: ExtractContext, eventPattern: ts.Expression): Pattern[] {
  const { ts } = context;
  const written = context.property(eventPattern, 'detailType');
  if (!written) return [{ node: eventPattern, name: { kind: 'dynamic', text: context.text(eventPattern) } }];
  const value = unwrap(ts, written);
  if (ts.isCallExpression(value) && ts.isPropertyAccessExpression(value.expression) && value.expression.name.text === 'prefix' && value.arguments[0]) {
    return [{ node: value, name: { kind: 'template', parts: [context.nameOf(value.arguments[0]), { kind: 'literal', value: '*' }], text: context.text(value) }, match: 'glob' }];
  }
  if (!ts.isArrayLiteralExpression(value)) return [{ node: value, name: { kind: 'dynamic', text: context.text(value) } }];
  return value.elements.map((element) => ({ node: element, name: context.nameOf(element) }));
}

/**
 * The handler a Lambda function's props name, as a module relative to this file: NodejsFunction's
 * `entry` and `handler` (default `handler`), or Function's `handler: 'file.export'` inside the
 * directory of `code: Code.fromAsset(…)`. Only paths built from `__dirname` can be placed.
 */
function lambdaHandler(context: ExtractContext, props: ts.Expression | undefined): { handler?: HandlerRef } {
  const { ts } = context;
  const handlerProp = context.property(props, 'handler');
  const handlerText = handlerProp && ts.isStringLiteralLike(unwrap(ts, handlerProp)) ? (unwrap(ts, handlerProp) as ts.StringLiteralLike).text : undefined;
  const entry = context.property(props, 'entry');
  if (entry) {
    const module = pathFromDirname(context, entry);
    return module ? { handler: { module, export: handlerText ?? 'handler' } } : {};
  }
  const code = context.property(props, 'code');
  const asset = code && unwrap(ts, code);
  if (!handlerText || !asset || !ts.isCallExpression(asset) || !asset.arguments[0]) return {};
  if (!ts.isPropertyAccessExpression(asset.expression) || asset.expression.name.text !== 'fromAsset') return {};
  const directory = pathFromDirname(context, asset.arguments[0]);
  const dot = handlerText.lastIndexOf('.');
  if (!directory || dot <= 0) return {};
  return { handler: { module: relative(path.posix.join(directory, handlerText.slice(0, dot))), export: handlerText.slice(dot + 1) } };
}

/** `path.join(__dirname, '../src/x.ts')`, `path.resolve(__dirname, …)`, `` `${__dirname}/…` `` → a path relative to this file. */
function pathFromDirname(context: ExtractContext, input: ts.Expression): string | undefined {
  const { ts } = context;
  const expression = unwrap(ts, input);
  const isDirname = (node: ts.Expression | undefined) => {
    const inner = node && unwrap(ts, node);
    return !!inner && (context.text(inner) === '__dirname' || context.text(inner) === 'import.meta.dirname');
  };
  if (ts.isCallExpression(expression)) {
    const callee = unwrap(ts, expression.expression);
    const name = ts.isPropertyAccessExpression(callee) ? callee.name.text : ts.isIdentifier(callee) ? callee.text : '';
    const [first, ...rest] = expression.arguments;
    if ((name !== 'join' && name !== 'resolve') || !isDirname(first)) return undefined;
    if (!rest.every((part) => ts.isStringLiteralLike(unwrap(ts, part)))) return undefined;
    return relative(path.posix.join('.', ...rest.map((part) => (unwrap(ts, part) as ts.StringLiteralLike).text)));
  }
  if (ts.isTemplateExpression(expression) && expression.head.text === '' && expression.templateSpans.length === 1) {
    const [span] = expression.templateSpans;
    if (span && isDirname(span.expression)) return relative(path.posix.join('.', span.literal.text));
  }
  return undefined;
}

function relative(posixPath: string): string {
  const normalized = path.posix.normalize(posixPath);
  return normalized.startsWith('.') ? normalized : `./${normalized}`;
}

function arrayElements(context: ExtractContext, expression: ts.Expression | undefined): readonly ts.Expression[] {
  const value = expression && context.ts.isArrayLiteralExpression(unwrap(context.ts, expression)) ? (unwrap(context.ts, expression) as ts.ArrayLiteralExpression) : undefined;
  return value?.elements ?? [];
}

/** What a name holds where it is used: a local or module-level variable's initializer. */
function initializerOf(context: ExtractContext, identifier: ts.Identifier): ts.Expression | undefined {
  const { ts } = context;
  const binding = lookupLocal(ts, identifier.text, identifier);
  if (binding.kind === 'const') return binding.initializer;
  if (binding.kind === 'variable') return binding.declaration.initializer;
  if (binding.kind !== 'module') return undefined;
  for (const statement of context.sourceFile.statements) {
    if (!ts.isVariableStatement(statement)) continue;
    const declaration = statement.declarationList.declarations.find((d) => ts.isIdentifier(d.name) && d.name.text === identifier.text);
    if (declaration) return declaration.initializer;
  }
  return undefined;
}

function enclosingClass(context: ExtractContext, node: ts.Node): ts.Node | undefined {
  for (let current = node.parent; current; current = current.parent) if (context.ts.isClassLike(current)) return current;
  return undefined;
}
