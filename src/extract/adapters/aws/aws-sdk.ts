import type { ts } from 'ts-morph';
import type { DeclarationDraft, NameExpr, TypeRef } from '../../../model/summary.js';
import { unwrap } from '../../syntax.js';
import type { Adapter, ExtractContext } from '../types.js';
import { queueNameOfUrl, topicNameOfArn, valueOf } from './resource-names.js';

const SNS = '@aws-sdk/client-sns';
const SQS = '@aws-sdk/client-sqs';
const EVENTBRIDGE = '@aws-sdk/client-eventbridge';
const SQS_CONSUMER = 'sqs-consumer';

/** How a publish names its channel: SNS by topic ARN, SQS by queue URL, EventBridge per entry by DetailType. */
interface PublishShape {
  module: string;
  transport: 'sns' | 'sqs' | 'eventbridge';
  channel?: { property: string; nameOf: (written: NameExpr) => NameExpr };
}

const TOPIC = { property: 'TopicArn', nameOf: topicNameOfArn };
const QUEUE = { property: 'QueueUrl', nameOf: queueNameOfUrl };

/** The command classes that publish: `client.send(new PublishCommand({ TopicArn, Message }))`. */
const COMMANDS: Record<string, PublishShape> = {
  PublishCommand: { module: SNS, transport: 'sns', channel: TOPIC },
  PublishBatchCommand: { module: SNS, transport: 'sns', channel: TOPIC },
  SendMessageCommand: { module: SQS, transport: 'sqs', channel: QUEUE },
  SendMessageBatchCommand: { module: SQS, transport: 'sqs', channel: QUEUE },
  PutEventsCommand: { module: EVENTBRIDGE, transport: 'eventbridge' },
};

/** The same operations as methods of the aggregated clients: `new SNS({}).publish({ TopicArn, Message })`. */
const CLIENT_METHODS: Record<string, PublishShape & { client: string }> = {
  publish: { ...COMMANDS.PublishCommand!, client: 'SNS' },
  publishBatch: { ...COMMANDS.PublishBatchCommand!, client: 'SNS' },
  sendMessage: { ...COMMANDS.SendMessageCommand!, client: 'SQS' },
  sendMessageBatch: { ...COMMANDS.SendMessageBatchCommand!, client: 'SQS' },
  putEvents: { ...COMMANDS.PutEventsCommand!, client: 'EventBridge' },
};

/** An export as each import style names it: named, through a namespace or `require`, through a default import. */
function exportOf(module: string, name: string): Array<{ module: string; name: string }> {
  return [name, `*.${name}`, `default.${name}`].map((written) => ({ module, name: written }));
}

const CONSUMER_CLASSES = [{ module: SQS_CONSUMER, name: 'Consumer' }, { module: SQS_CONSUMER, name: 'default' }, { module: SQS_CONSUMER, name: '*' }];

/**
 * AWS SDK v3: SNS, SQS and EventBridge publishes (the commands, declared where they are built, and
 * the aggregated clients' methods), and `sqs-consumer` consumers. Every site is kept only if its
 * class resolves to the library's export, so look-alikes with the same names do not count.
 */
export const awsSdk: Adapter = {
  id: 'aws-sdk',
  title: 'AWS SDK v3 (SNS, SQS, EventBridge) and sqs-consumer',
  enablers: [SNS, SQS, EVENTBRIDGE, SQS_CONSUMER],
  tokens: [...Object.keys(COMMANDS), 'TopicArn', 'QueueUrl', 'DetailType', SQS_CONSUMER],
  docs: 'docs/adapters/aws-sdk.md',
  visitor(context) {
    const { ts } = context;
    const channelName = (expression: ts.Expression) => valueOf(context, expression);

    const publish = (node: ts.Node, input: ts.Expression | undefined, shape: PublishShape, requires: DeclarationDraft['requires']) => {
      const declare = (at: ts.Node, name: NameExpr) =>
        context.declare(at, { kind: 'publish', framework: 'aws-sdk', transport: shape.transport, name, requires });
      if (shape.channel) {
        const channel = context.property(input, shape.channel.property);
        if (channel) declare(node, shape.channel.nameOf(channelName(channel)));
        // An SMS or a mobile push names a phone number or an endpoint instead of a topic: no event.
        else if (!context.property(input, 'PhoneNumber') && !context.property(input, 'TargetArn')) declare(node, dynamic(context, input ?? node));
        return;
      }
      const entries = context.property(input, 'Entries');
      const list = entries && entryList(context, entries);
      if (!list) {
        declare(node, dynamic(context, entries ?? input ?? node));
        return;
      }
      for (const entry of list) {
        const detailType = context.property(entry, 'DetailType');
        declare(entry, detailType ? context.nameOf(detailType) : dynamic(context, entry));
      }
    };

    const consume = (node: ts.Node, options: ts.Expression | undefined, receiver: TypeRef) => {
      const queueUrl = context.property(options, 'queueUrl');
      const batch = context.property(options, 'handleMessageBatch');
      const each = batch ?? context.property(options, 'handleMessage');
      if (!each) return;
      const handler = context.handlerOf(each, batch ? 'handleMessageBatch' : 'handleMessage');
      context.declare(node, {
        kind: 'subscribe',
        framework: 'sqs-consumer',
        transport: 'sqs',
        name: queueUrl ? queueNameOfUrl(channelName(queueUrl)) : dynamic(context, options ?? node),
        ...(handler ? { handler } : {}),
        requires: { receiver, oneOf: CONSUMER_CLASSES },
      });
    };

    return {
      newExpression(node) {
        const receiver = context.typeOf(node);
        if (!receiver) return;
        const className = importedName(context, receiver);
        const [input] = node.arguments ?? [];
        const shape = Object.hasOwn(COMMANDS, className) ? COMMANDS[className] : undefined;
        if (shape) publish(node, input, shape, { receiver, oneOf: exportOf(shape.module, className) });
        else consume(node, input, receiver);
      },
      call(node) {
        const callee = unwrap(ts, node.expression);
        if (!ts.isPropertyAccessExpression(callee)) return;
        const method = callee.name.text;
        const shape = Object.hasOwn(CLIENT_METHODS, method) ? CLIENT_METHODS[method] : undefined;
        const receiver = (shape || method === 'create') && context.typeOf(callee.expression);
        if (!receiver) return;
        const [input] = node.arguments;
        if (shape) publish(node, input, shape, { receiver, oneOf: exportOf(shape.module, shape.client) });
        else consume(node, input, receiver);
      },
    };
  },
};

/**
 * The name the library exports a receiver's class under: `sns.PublishCommand` → `PublishCommand`,
 * and `PublishCommand` imported `as SnsPublishCommand` → `PublishCommand`.
 */
function importedName(context: ExtractContext, type: TypeRef): string {
  const { ts } = context;
  const ref = 'type' in type ? type.type : type.value;
  if (ref.path?.length) return ref.path.at(-1)!;
  for (const statement of context.sourceFile.statements) {
    const bindings = ts.isImportDeclaration(statement) ? statement.importClause?.namedBindings : undefined;
    if (!bindings || !ts.isNamedImports(bindings)) continue;
    const specifier = bindings.elements.find((element) => element.name.text === ref.name);
    if (specifier) return (specifier.propertyName ?? specifier.name).text;
  }
  return ref.name;
}

/** PutEvents entries as written: an array literal, or the object each element of a `.map()` becomes. */
function entryList(context: ExtractContext, entries: ts.Expression): readonly ts.Expression[] | undefined {
  const { ts } = context;
  const list = unwrap(ts, entries);
  if (ts.isArrayLiteralExpression(list)) return list.elements;
  if (!ts.isCallExpression(list) || !ts.isPropertyAccessExpression(list.expression) || list.expression.name.text !== 'map') return undefined;
  const mapper = list.arguments[0] && unwrap(ts, list.arguments[0]);
  if (!mapper || !(ts.isArrowFunction(mapper) || ts.isFunctionExpression(mapper))) return undefined;
  const body = mapper.body;
  if (!ts.isBlock(body)) return [body];
  const returned = body.statements.filter(ts.isReturnStatement).map((statement) => statement.expression);
  return returned.length > 0 && returned.every((value) => value !== undefined) ? (returned as ts.Expression[]) : undefined;
}

function dynamic(context: ExtractContext, node: ts.Node): NameExpr {
  return { kind: 'dynamic', text: context.text(node) };
}
