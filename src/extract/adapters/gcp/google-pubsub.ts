import type { ts } from 'ts-morph';
import type { NameExpr, TypeRef } from '../../../model/summary.js';
import { unwrap } from '../../syntax.js';
import { FileValues } from '../nats/file-values.js';
import type { Adapter, ExtractContext } from '../types.js';

const MODULE = '@google-cloud/pubsub';
const FRAMEWORK = 'google-pubsub';
const TRANSPORT = 'pubsub';

/** A class of the library, as imports can name it (`PubSub`, `pubsub.PubSub`, `default.PubSub`). */
const classes = (name: string) => [name, `*.${name}`, `default.${name}`].map((imported) => ({ module: MODULE, name: imported }));
/** A topic or subscription named in the file is reached through a client, or through a typed topic. */
const CLIENT_OR_TOPIC = [...classes('PubSub'), ...classes('Topic')];
const TOPIC = classes('Topic');
const SUBSCRIPTION = classes('Subscription');

const PUBLISH_METHODS = new Set(['publishMessage', 'publish', 'publishJSON']);

/**
 * A topic or subscription as the code reaches it: named on a client (`pubsub.topic(name)`), or a
 * `typed` value (a `Topic` or `Subscription` parameter) whose name the file does not show.
 * `receiver` is the value link must confirm is the library's.
 */
interface Resource {
  kind: 'topic' | 'subscription' | 'typed';
  name: NameExpr;
  receiver: TypeRef;
}

/**
 * Google Cloud Pub/Sub: `topic.publishMessage()` / `publish()` / `publishJSON()` publish the topic,
 * `subscription.on('message', handler)` subscribes the subscription, and a subscription made on a
 * topic (`topic.subscription(s)`, `topic.createSubscription(s)`, `pubsub.createSubscription(t, s)`)
 * routes the topic into it. Topics and subscriptions are reached through `new PubSub()` clients.
 */
export const googlePubsub: Adapter = {
  id: 'google-pubsub',
  title: 'Google Cloud Pub/Sub',
  enablers: [MODULE],
  tokens: ['.topic(', '.subscription(', 'createSubscription(', '.publish', "'message'", '"message"'],
  docs: 'docs/adapters/google-pubsub.md',
  visitor(context) {
    const { ts } = context;
    const values = new FileValues(context);

    /** The client a call is made on: any value with a syntactic type, which link must confirm is a PubSub. */
    const clientOf = (expression: ts.Expression): TypeRef | undefined =>
      context.typeOf(expression) ?? values.origins(expression).map((origin) => context.typeOf(origin)).find(Boolean);

    const resourceOf = (expression: ts.Expression, depth = 0): Resource | undefined => {
      for (const origin of values.origins(expression)) {
        const resource = depth < 8 ? namedResource(origin, depth) : undefined;
        if (resource) return resource;
      }
      const typed = context.typeOf(expression);
      return typed && { kind: 'typed', name: { kind: 'dynamic', text: context.text(expression) }, receiver: typed };
    };

    /** `pubsub.topic(t)`, `pubsub.createTopic(t)`, `pubsub.subscription(s)`, `topic.subscription(s)`, `…createSubscription(…)`. */
    const namedResource = (origin: ts.Expression, depth: number): Resource | undefined => {
      const callee = ts.isCallExpression(origin) ? unwrap(ts, origin.expression) : undefined;
      if (!callee || !ts.isPropertyAccessExpression(callee)) return undefined;
      const [first, second] = (origin as ts.CallExpression).arguments;
      const owner = callee.expression;
      switch (callee.name.text) {
        case 'topic':
        case 'createTopic':
          return first && onClient(owner, 'topic', first);
        case 'publisher':
          return resourceOf(owner, depth + 1);
        case 'subscription':
          return first && onTopicOrClient(owner, first, depth);
        case 'createSubscription':
          return isClientForm(ts, origin as ts.CallExpression) ? second && onClient(owner, 'subscription', second) : first && onTopicOrClient(owner, first, depth);
        default:
          return undefined;
      }
    };

    /** A subscription reached through a topic the file names, else through a client or typed topic. */
    const onTopicOrClient = (owner: ts.Expression, name: ts.Expression, depth: number): Resource | undefined => {
      const topic = resourceOf(owner, depth + 1);
      if (topic?.kind === 'topic') return { ...topic, kind: 'subscription', name: resourceName(context, name, 'subscriptions') };
      return onClient(owner, 'subscription', name);
    };

    const onClient = (client: ts.Expression, kind: Resource['kind'], name: ts.Expression): Resource | undefined => {
      const receiver = clientOf(client);
      return receiver && { kind, name: resourceName(context, name, kind === 'topic' ? 'topics' : 'subscriptions'), receiver };
    };

    /**
     * A subscription made on a topic: messages published to the topic are delivered to it. A route
     * cannot ask link to confirm its client's type, so the file must show it uses the library: it
     * imports it, or it calls a client imported from another module.
     */
    const usesLibrary = context.sourceFile.text.includes(MODULE);
    const route = (node: ts.CallExpression, client: TypeRef, topic: NameExpr, subscription: ts.Expression) => {
      if (!usesLibrary && !('value' in client && values.isImported(client.value.name))) return;
      context.route(node, { framework: FRAMEWORK, transport: TRANSPORT, from: topic, to: resourceName(context, subscription, 'subscriptions') });
    };

    return {
      call(node) {
        const callee = node.expression;
        if (!ts.isPropertyAccessExpression(callee)) return;
        const receiver = callee.expression;
        const method = callee.name.text;
        const [first, second] = node.arguments;
        if (PUBLISH_METHODS.has(method)) {
          const topic = first && resourceOf(receiver);
          if (!topic || topic.kind === 'subscription') return;
          const oneOf = topic.kind === 'typed' ? TOPIC : CLIENT_OR_TOPIC;
          context.declare(node, { kind: 'publish', framework: FRAMEWORK, transport: TRANSPORT, name: topic.name, requires: { receiver: topic.receiver, oneOf } });
        } else if (method === 'on') {
          const event = first && unwrap(ts, first);
          if (!event || !ts.isStringLiteralLike(event) || event.text !== 'message' || !second) return;
          const subscription = resourceOf(receiver);
          if (!subscription || subscription.kind === 'topic') return;
          const oneOf = subscription.kind === 'typed' ? SUBSCRIPTION : CLIENT_OR_TOPIC;
          const handler = context.handlerOf(second, method);
          context.declare(node, {
            kind: 'subscribe',
            framework: FRAMEWORK,
            transport: TRANSPORT,
            name: subscription.name,
            ...(handler ? { handler } : {}),
            requires: { receiver: subscription.receiver, oneOf },
          });
        } else if ((method === 'subscription' || method === 'createSubscription') && first) {
          if (method === 'createSubscription' && isClientForm(ts, node)) {
            const client = clientOf(receiver);
            const topic = resourceOf(first);
            if (second && client) route(node, client, topic?.kind === 'topic' ? topic.name : resourceName(context, first, 'topics'), second);
            return;
          }
          const topic = resourceOf(receiver);
          if (topic?.kind === 'topic') route(node, topic.receiver, topic.name, first);
        }
      },
    };
  },
};

/** `pubsub.createSubscription(topic, name, options?)`, as opposed to `topic.createSubscription(name, options?)`. */
function isClientForm(ts: ExtractContext['ts'], call: ts.CallExpression): boolean {
  const second = call.arguments[1];
  return second !== undefined && !ts.isObjectLiteralExpression(unwrap(ts, second));
}

/**
 * A topic's or subscription's short name: Pub/Sub accepts `orders` or its full resource name
 * `projects/<project>/topics/orders`, and both are the same event.
 */
function resourceName(context: ExtractContext, expression: ts.Expression, collection: 'topics' | 'subscriptions'): NameExpr {
  return shortName(context.nameOf(expression), `/${collection}/`);
}

function shortName(name: NameExpr, marker: string): NameExpr {
  switch (name.kind) {
    case 'literal': {
      const at = name.value.lastIndexOf(marker);
      return at === -1 || !name.value.startsWith('projects/') ? name : { ...name, value: name.value.slice(at + marker.length) };
    }
    case 'env':
      return { ...name, fallback: shortName(name.fallback, marker) };
    case 'template': {
      const index = name.parts.findLastIndex((part) => part.kind === 'literal' && part.value.includes(marker));
      if (index === -1) return name;
      const literal = name.parts[index] as Extract<NameExpr, { kind: 'literal' }>;
      const rest = literal.value.slice(literal.value.lastIndexOf(marker) + marker.length);
      const parts = [...(rest ? [{ kind: 'literal' as const, value: rest }] : []), ...name.parts.slice(index + 1)];
      return parts.length === 1 ? parts[0]! : { ...name, parts };
    }
    default:
      return name;
  }
}
