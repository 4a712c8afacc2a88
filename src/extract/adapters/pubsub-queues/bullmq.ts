import path from 'node:path';
import type { ts } from 'ts-morph';
import type { HandlerRef, NameExpr, TypeRef } from '../../../model/summary.js';
import { lookupLocal } from '../../scope.js';
import { propertyNameText, symRefOf, typeRefOfNew, unwrap } from '../../syntax.js';
import type { Adapter, ExtractContext } from '../types.js';

const exportsOf = (modules: string[], names: string[]) => modules.flatMap((module) => names.map((name) => ({ module, name })));

/** BullMQ's Queue and Bull's default export (also its `Queue` type), as imports can name them. */
const QUEUE_CLASSES = [
  ...exportsOf(['bullmq'], ['Queue', '*.Queue']),
  ...exportsOf(['bull'], ['default', '*', 'Queue', 'default.Queue', '*.Queue']),
];
const WORKER_CLASSES = exportsOf(['bullmq'], ['Worker', '*.Worker']);
const FLOW_PRODUCER_CLASSES = exportsOf(['bullmq'], ['FlowProducer', '*.FlowProducer']);
const NEST_MODULES = ['@nestjs/bullmq', '@nestjs/bull'];
const PROCESSOR_DECORATORS = exportsOf(NEST_MODULES, ['Processor']);
const INJECT_QUEUE_DECORATORS = exportsOf(NEST_MODULES, ['InjectQueue']);

const FRAMEWORK = 'bullmq';
const TRANSPORT = 'queue';

/** A queue as the code names it: its name, and what proves it is one (for `requires`). */
interface QueueRef {
  name: NameExpr;
  proof: TypeRef;
  oneOf: Array<{ module: string; name: string }>;
}

/**
 * BullMQ and Bull: a queue is a channel with exactly one consumer group, so the event is the
 * queue's name. `queue.add()` publishes to it; a `Worker`, Bull's `queue.process()` and NestJS
 * `@Processor` classes consume it.
 */
export const bullmq: Adapter = {
  id: 'bullmq',
  title: 'BullMQ / Bull',
  enablers: ['bullmq', 'bull', '@nestjs/bullmq', '@nestjs/bull'],
  tokens: ['.add(', '.addBulk(', '.process(', 'Worker(', 'Processor('],
  docs: 'docs/adapters/bullmq.md',
  visitor(context) {
    const { ts } = context;

    const publish = (node: ts.Node, queue: QueueRef) =>
      context.declare(node, {
        kind: 'publish',
        framework: FRAMEWORK,
        transport: TRANSPORT,
        name: queue.name,
        requires: { receiver: queue.proof, oneOf: queue.oneOf },
      });

    const subscribe = (node: ts.Node, name: NameExpr, handler: HandlerRef | undefined, proof: TypeRef, oneOf: QueueRef['oneOf']) =>
      context.declare(node, {
        kind: 'subscribe',
        framework: FRAMEWORK,
        transport: TRANSPORT,
        name,
        ...(handler ? { handler } : {}),
        requires: { receiver: proof, oneOf },
      });

    return {
      call(node) {
        const callee = unwrap(ts, node.expression);
        if (!ts.isPropertyAccessExpression(callee)) return;
        const method = callee.name.text;
        if (method !== 'add' && method !== 'addBulk' && method !== 'process') return;
        if (node.arguments.length === 0) return;
        if (method !== 'process' && isFlowJob(context, node.arguments[0]!)) {
          const flowProducer = producerTypeOf(context, callee.expression);
          if (flowProducer) publishFlow(node, flowProducer);
          return;
        }
        const queue = queueOf(context, callee.expression);
        if (!queue) return;
        if (method !== 'process') {
          publish(node, queue);
          return;
        }
        const processor = node.arguments[node.arguments.length - 1]!;
        subscribe(node, queue.name, processorOf(context, processor, 'process'), queue.proof, queue.oneOf);
      },
      newExpression(node) {
        const worker = typeRefOfNew(ts, node);
        const [name, processor] = node.arguments ?? [];
        if (!worker || !name || lastName(worker) !== 'Worker') return;
        subscribe(node, context.nameOf(name), processor && processorOf(context, processor, 'processor'), worker, WORKER_CLASSES);
      },
      decorator(node) {
        const call = node.expression;
        if (!ts.isCallExpression(call) || !ts.isClassDeclaration(node.parent)) return;
        const decorator = symRefOf(ts, call.expression);
        if (!decorator || (decorator.path?.at(-1) ?? decorator.name) !== 'Processor') return;
        const name = queueNameArgument(context, call.arguments[0]);
        if (!name) return;
        const processorClass = node.parent;
        const proof: TypeRef = { type: decorator };
        // Bull: every `@Process()` method consumes the queue; BullMQ: the `process` method (WorkerHost).
        const processMethods = processorClass.members.filter(ts.isMethodDeclaration).filter((method) => decoratorNamed(ts, method, 'Process'));
        for (const method of processMethods) {
          const at = decoratorNamed(ts, method, 'Process')!;
          subscribe(at, name, context.handlerOf(method as unknown as ts.Expression, 'process'), proof, PROCESSOR_DECORATORS);
        }
        if (processMethods.length > 0) return;
        const process = processorClass.members.find((member) => ts.isMethodDeclaration(member) && propertyNameText(ts, member.name) === 'process');
        const handler = process && context.handlerOf(process as unknown as ts.Expression, 'process');
        subscribe(node, name, handler, proof, PROCESSOR_DECORATORS);
      },
    };

    /** `flow.add({ name, queueName, data, children: [...] })`: one publish per job of the tree. */
    function publishFlow(node: ts.CallExpression, proof: TypeRef): void {
      const pending: ts.Expression[] = [...node.arguments];
      while (pending.length > 0) {
        const job = unwrap(ts, pending.pop()!);
        if (ts.isArrayLiteralExpression(job)) {
          pending.push(...job.elements);
          continue;
        }
        const queueName = context.property(job, 'queueName');
        if (queueName) {
          context.declare(job, {
            kind: 'publish',
            framework: FRAMEWORK,
            transport: TRANSPORT,
            name: context.nameOf(queueName),
            requires: { receiver: proof, oneOf: FLOW_PRODUCER_CLASSES },
          });
        }
        const children = context.property(job, 'children');
        if (children) pending.push(children);
      }
    }
  },
};

/**
 * The queue a receiver denotes: `new Queue(name)` itself, a variable or field initialized with
 * one, a field injected with `@InjectQueue(name)`, or else a typed value whose name stays unknown.
 */
function queueOf(context: ExtractContext, receiver: ts.Expression): QueueRef | undefined {
  const { ts } = context;
  const expression = unwrap(ts, receiver);
  const constructed = initializerOf(context, expression);
  if (constructed && ts.isNewExpression(constructed)) {
    const proof = typeRefOfNew(ts, constructed);
    const [name] = constructed.arguments ?? [];
    if (proof && name) return { name: context.nameOf(name), proof, oneOf: QUEUE_CLASSES };
  }
  const injected = injectedQueueOf(context, expression);
  if (injected) return injected;
  const proof = context.typeOf(expression);
  return proof && { name: { kind: 'dynamic', text: context.text(expression) }, proof, oneOf: QUEUE_CLASSES };
}

/** What a variable or `this` field was initialized with, when the syntax shows it (locally or at module level). */
function initializerOf(context: ExtractContext, expression: ts.Expression): ts.Expression | undefined {
  const { ts } = context;
  if (ts.isNewExpression(expression)) return expression;
  if (ts.isIdentifier(expression)) {
    const binding = lookupLocal(ts, expression.text, expression);
    if (binding.kind === 'const' || binding.kind === 'variable') return binding.declaration.initializer && unwrap(ts, binding.declaration.initializer);
    if (binding.kind !== 'module') return undefined;
    for (const statement of context.sourceFile.statements) {
      if (!ts.isVariableStatement(statement)) continue;
      const declaration = statement.declarationList.declarations.find((d) => ts.isIdentifier(d.name) && d.name.text === expression.text);
      if (declaration?.initializer) return unwrap(ts, declaration.initializer);
    }
    return undefined;
  }
  const field = thisField(ts, expression);
  if (!field) return undefined;
  const member = field.owner.members.find((m) => ts.isPropertyDeclaration(m) && propertyNameText(ts, m.name) === field.name);
  if (member && ts.isPropertyDeclaration(member) && member.initializer) return unwrap(ts, member.initializer);
  const constructor = field.owner.members.find(ts.isConstructorDeclaration);
  for (const statement of constructor?.body?.statements ?? []) {
    if (!ts.isExpressionStatement(statement) || !ts.isBinaryExpression(statement.expression)) continue;
    const { left, operatorToken, right } = statement.expression;
    if (operatorToken.kind !== ts.SyntaxKind.EqualsToken) continue;
    const assigned = thisField(ts, left);
    if (assigned?.name === field.name) return unwrap(ts, right);
  }
  return undefined;
}

/** NestJS: `constructor(@InjectQueue('emails') private queue: Queue)` or `@InjectQueue('emails') queue: Queue`. */
function injectedQueueOf(context: ExtractContext, expression: ts.Expression): QueueRef | undefined {
  const { ts } = context;
  const field = thisField(ts, expression);
  if (!field) return undefined;
  const constructor = field.owner.members.find(ts.isConstructorDeclaration);
  const candidates: ts.Node[] = [
    ...(constructor?.parameters ?? []),
    ...field.owner.members.filter((member) => ts.isPropertyDeclaration(member)),
  ];
  for (const candidate of candidates) {
    const name = ts.isParameter(candidate) || ts.isPropertyDeclaration(candidate) ? propertyNameText(ts, candidate.name) : undefined;
    if (name !== field.name) continue;
    const decorator = decoratorNamed(ts, candidate, 'InjectQueue');
    const call = decorator && unwrap(ts, decorator.expression);
    if (!call || !ts.isCallExpression(call)) continue;
    const ref = symRefOf(ts, call.expression);
    const queueName = queueNameArgument(context, call.arguments[0]);
    if (ref && queueName) return { name: queueName, proof: { type: ref }, oneOf: INJECT_QUEUE_DECORATORS };
  }
  return undefined;
}

/** `@Processor('emails')`, `@Processor({ name: 'emails' })`, `@InjectQueue(EMAILS)`. */
function queueNameArgument(context: ExtractContext, argument: ts.Expression | undefined): NameExpr | undefined {
  if (!argument) return undefined;
  const name = context.property(argument, 'name');
  if (name) return context.nameOf(name);
  return context.ts.isObjectLiteralExpression(unwrap(context.ts, argument)) ? undefined : context.nameOf(argument);
}

/** The processor: a function, or a file path (a sandboxed processor) as that module's default export. */
function processorOf(context: ExtractContext, processor: ts.Expression, hint: string): HandlerRef | undefined {
  const file = processorFile(context, processor);
  if (file) return { module: file, export: 'default' };
  return context.handlerOf(processor, hint);
}

/** `'./processor.js'`, `path.join(__dirname, 'processor.js')`, `` `${__dirname}/processor.js` ``, `new URL('./processor.js', import.meta.url)`. */
function processorFile(context: ExtractContext, input: ts.Expression): string | undefined {
  const { ts } = context;
  const expression = unwrap(ts, input);
  const relative = (parts: string[]) => {
    const joined = path.posix.join('.', ...parts);
    return joined.startsWith('..') ? joined : `./${joined}`;
  };
  if (ts.isStringLiteralLike(expression)) return /^\.\.?\//.test(expression.text) ? expression.text : undefined;
  if (ts.isTemplateExpression(expression)) {
    const [span, ...more] = expression.templateSpans;
    if (expression.head.text !== '' || !span || more.length > 0 || !isDirname(ts, span.expression)) return undefined;
    return relative([span.literal.text]);
  }
  if (ts.isNewExpression(expression) && ts.isIdentifier(expression.expression) && expression.expression.text === 'URL') {
    const [target] = expression.arguments ?? [];
    return target ? processorFile(context, target) : undefined;
  }
  if (!ts.isCallExpression(expression)) return undefined;
  const callee = unwrap(ts, expression.expression);
  const method = ts.isPropertyAccessExpression(callee) ? callee.name.text : ts.isIdentifier(callee) ? callee.text : undefined;
  if (method !== 'join' && method !== 'resolve') return undefined;
  const [base, ...parts] = expression.arguments;
  if (!base || !isDirname(ts, base) || parts.length === 0 || !parts.every((part) => ts.isStringLiteralLike(part))) return undefined;
  return relative(parts.map((part) => (part as ts.StringLiteralLike).text));
}

function isDirname(ts: ExtractContext['ts'], expression: ts.Expression): boolean {
  const inner = unwrap(ts, expression);
  return ts.isIdentifier(inner) && inner.text === '__dirname';
}

function thisField(ts: ExtractContext['ts'], expression: ts.Expression): { owner: ts.ClassLikeDeclaration; name: string } | undefined {
  const inner = unwrap(ts, expression);
  if (!ts.isPropertyAccessExpression(inner) || inner.expression.kind !== ts.SyntaxKind.ThisKeyword) return undefined;
  for (let node: ts.Node | undefined = inner.parent; node; node = node.parent) {
    if (ts.isClassLike(node)) return { owner: node, name: inner.name.text };
    // A plain function has its own `this`; arrows and methods of the class do not hide the class's.
    if (ts.isFunctionDeclaration(node) || ts.isFunctionExpression(node)) return undefined;
  }
  return undefined;
}

function decoratorNamed(ts: ExtractContext['ts'], node: ts.Node, name: string): ts.Decorator | undefined {
  const decorators = ts.canHaveDecorators(node) ? (ts.getDecorators(node) ?? []) : [];
  return decorators.find((decorator) => {
    const expression = unwrap(ts, decorator.expression);
    const callee = ts.isCallExpression(expression) ? expression.expression : expression;
    const ref = symRefOf(ts, callee);
    return ref !== undefined && (ref.path?.at(-1) ?? ref.name) === name;
  });
}

/** The last segment of a type's name: `Worker` for `bullmq.Worker`. */
function lastName(type: TypeRef): string {
  const ref = 'type' in type ? type.type : type.value;
  return ref.path?.at(-1) ?? ref.name;
}

/** FlowProducer jobs name their queue: `{ name, queueName, data, children }` (or an array of them). */
function isFlowJob(context: ExtractContext, argument: ts.Expression): boolean {
  const expression = unwrap(context.ts, argument);
  const job = context.ts.isArrayLiteralExpression(expression) ? expression.elements[0] : expression;
  return job !== undefined && context.property(job, 'queueName') !== undefined;
}

function producerTypeOf(context: ExtractContext, receiver: ts.Expression): TypeRef | undefined {
  const constructed = initializerOf(context, unwrap(context.ts, receiver));
  return (constructed && typeRefOfNew(context.ts, constructed)) ?? context.typeOf(receiver);
}
