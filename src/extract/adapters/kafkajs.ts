import type { ts } from 'ts-morph';
import type { DeclarationDraft, HandlerRef, NameExpr } from '../../model/summary.js';
import type { Adapter, ExtractContext } from './types.js';

/**
 * KafkaJS: `producer.send({ topic, messages })`, `producer.sendBatch({ topicMessages })`,
 * `consumer.subscribe({ topic | topics })` and `consumer.run({ eachMessage | eachBatch })`, whose
 * handler serves every topic the same consumer subscribed to in the file.
 */
export const kafkajs: Adapter = {
  id: 'kafkajs',
  title: 'KafkaJS',
  enablers: ['kafkajs'],
  tokens: ['.send(', '.sendBatch(', '.subscribe(', '.run('],
  docs: 'docs/adapters/kafkajs.md',
  visitor(context) {
    const { ts } = context;
    const subscriptions: Array<{ consumer: string; declaration: DeclarationDraft }> = [];
    const handlers = new Map<string, HandlerRef>();

    const publish = (node: ts.Node, topic: ts.Expression) =>
      context.declare(node, { kind: 'publish', framework: 'kafkajs', transport: 'kafka', ...topicName(context, topic) });

    return {
      call(node) {
        const callee = node.expression;
        if (!ts.isPropertyAccessExpression(callee)) return;
        const method = callee.name.text;
        // Most calls are none of these: return before any work (this runs for every call of every file).
        if (method !== 'send' && method !== 'sendBatch' && method !== 'subscribe' && method !== 'run') return;
        const argument = node.arguments[0];
        const consumer = () => receiverKey(context, callee.expression);
        switch (method) {
          case 'send': {
            const topic = context.property(argument, 'topic');
            if (topic && context.property(argument, 'messages')) publish(node, topic);
            return;
          }
          case 'sendBatch': {
            const batches = context.property(argument, 'topicMessages');
            if (!batches || !ts.isArrayLiteralExpression(batches)) return;
            for (const element of batches.elements) {
              const topic = context.property(element, 'topic');
              if (topic) publish(element, topic);
            }
            return;
          }
          case 'subscribe': {
            const topic = context.property(argument, 'topic');
            const topics = context.property(argument, 'topics');
            const names = topic ? [topic] : topics && ts.isArrayLiteralExpression(topics) ? [...topics.elements] : topics ? [topics] : [];
            for (const name of names) {
              const declaration = context.declare(name === topic ? node : name, {
                kind: 'subscribe',
                framework: 'kafkajs',
                transport: 'kafka',
                ...topicName(context, name),
              });
              subscriptions.push({ consumer: consumer(), declaration });
            }
            return;
          }
          case 'run': {
            const eachMessage = context.property(argument, 'eachMessage');
            const each = eachMessage ?? context.property(argument, 'eachBatch');
            const handler =
              each &&
              context.handlerOf(each, eachMessage ? 'eachMessage' : 'eachBatch', {
                eventParam: eachMessage ? { index: 0, path: ['topic'] } : { index: 0, path: ['batch', 'topic'] },
              });
            if (handler) handlers.set(consumer(), handler);
            return;
          }
        }
      },
      finish() {
        const only = handlers.size === 1 ? handlers.values().next().value : undefined;
        for (const { consumer, declaration } of subscriptions) {
          const handler = handlers.get(consumer) ?? only;
          if (handler) declaration.handler = handler;
        }
      },
    };
  },
};

function topicName(context: ExtractContext, expression: ts.Expression): { name: NameExpr; match?: 'regex' } {
  const { ts } = context;
  if (ts.isRegularExpressionLiteral(expression)) return { name: { kind: 'literal', value: expression.text }, match: 'regex' };
  return { name: context.nameOf(expression) };
}

/** Which consumer a call is made on, by its text: `consumer`, `this.consumer`. */
function receiverKey(context: ExtractContext, expression: ts.Expression): string {
  return context.text(expression).replace(/\s+/g, '');
}
