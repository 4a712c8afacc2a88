import type { ts } from 'ts-morph';
import type { EffectKind, GuardKind } from '../model/summary.js';
import { propertyNameText, startOf, unwrap } from './syntax.js';
import type { TypeScript } from './typescript.js';

/**
 * The vocabulary of effects and guards, by method names and receiver hints. Each list can be
 * extended from the config (the non-idempotent-handler rule's options).
 */
export interface EffectVocabulary {
  /** ORM and driver calls that write (create, insert, save, increment, …). */
  writes: string[];
  /** Writes that are idempotent by construction (upsert, findOrCreate, …). */
  upserts: string[];
  /** Payment calls (charge, capture, refund, …). */
  payments: string[];
  emails: string[];
  sms: string[];
  /** Helpers and decorators that make a handler idempotent. */
  helpers: string[];
  /** Calls that look a message up before acting (has, exists, findOne, …). */
  lookups: string[];
  /** Option names that pass an idempotency key to an external call. */
  keys: string[];
}

export const DEFAULT_VOCABULARY: EffectVocabulary = {
  writes: ['create', 'createMany', 'insert', 'insertOne', 'insertMany', 'save', 'persist', 'increment', 'decrement', 'bulkWrite', 'bulkCreate', 'update', 'updateOne', 'updateMany', 'findOneAndUpdate', 'findByIdAndUpdate', 'updateById'],
  upserts: ['upsert', 'findOrCreate', 'findOneOrCreate', 'createOrUpdate', 'insertOrIgnore', 'onConflictDoNothing', 'onConflict', 'orIgnore', 'ignore', 'findOneAndReplace'],
  payments: ['charge', 'capture', 'refund', 'payout', 'transfer', 'createCharge', 'createPayment', 'createPaymentIntent', 'debit', 'credit'],
  emails: ['sendMail', 'sendEmail', 'sendTemplate', 'sendTemplateEmail', 'sendTransactionalEmail'],
  sms: ['sendSms', 'sendSMS', 'sendText', 'sendTextMessage'],
  helpers: ['makeIdempotent', 'idempotent', 'Idempotent', 'IdempotentHandler', 'withIdempotency', 'ensureIdempotent', 'deduplicate', 'dedupe', 'onlyOnce'],
  lookups: ['has', 'exists', 'findOne', 'findUnique', 'findFirst', 'findById', 'count', 'get', 'isProcessed', 'wasProcessed', 'alreadyProcessed', 'isDuplicate', 'sismember', 'hexists'],
  keys: ['idempotencyKey', 'idempotency_key', 'Idempotency-Key', 'idempotency-key', 'IdempotencyKey', 'MessageDeduplicationId', 'deduplicationId', 'jobId', 'dedupKey'],
};

export function mergeVocabulary(extra: Partial<EffectVocabulary> | undefined): EffectVocabulary {
  if (!extra) return DEFAULT_VOCABULARY;
  const merged = { ...DEFAULT_VOCABULARY };
  for (const key of Object.keys(DEFAULT_VOCABULARY) as Array<keyof EffectVocabulary>) merged[key] = [...DEFAULT_VOCABULARY[key], ...(extra[key] ?? [])];
  return merged;
}

const HTTP_VERBS = new Set(['post', 'put', 'patch']);
const HTTP_CLIENT = /\b(axios|http|https|got|request|superagent|ky|httpService|httpClient|client|api)\b/i;
const PAYMENT_RECEIVER = /\b(charges|paymentIntents|payments|refunds|transfers|payouts|stripe|braintree|adyen|paypal)\b/i;
const EMAIL_RECEIVER = /\b(mail|mailer|transporter|sendgrid|sgMail|ses|postmark|mailgun|resend|emails?)\b/i;
const SMS_RECEIVER = /\b(twilio|sms|vonage|nexmo)\b/i;
const QUEUE_RECEIVER = /queue/i;
const INBOX_RECEIVER = /\b\w*(inbox|processed|dedup|idempoten)\w*\b/i;
const NOT_A_STORE = /^(Object|Array|Date|JSON|Math|Promise|Reflect|Symbol|axios|document|window|Buffer|URL|crypto|React|express|Router|console)$/;
const CONDITIONAL_KEYS = /^(status|state|version|\w+Version|\w+Status|\w+State|revision|etag|updatedAt|processedAt)$/;
const SQL_INSERT = /\binsert\s+into\b/i;
const SQL_UPDATE = /\bupdate\s+\S+\s+set\b/i;
const SQL_IDEMPOTENT_INSERT = /\bon\s+conflict\b|\binsert\s+(or\s+)?ignore\b|\bon\s+duplicate\s+key\b|\bmerge\s+into\b/i;
const SQL_CONDITIONAL = /\bwhere\b[\s\S]*\b(status|state|version)\b/i;
const MONGO_ACCUMULATORS = new Set(['$inc', '$push', '$addToSet', '$mul']);
const GUARD_CONDITION = /\b\w*(processed|already|duplicate|seen|handled|exist|dedup|inbox|idempoten)\w*\b/i;

export type CallEvidence = { effect: EffectKind } | { guard: GuardKind } | undefined;

/** The vocabulary's lists as sets, made once per vocabulary (each call looks names up in six of them). */
interface VocabularySets {
  helpers: ReadonlySet<string>;
  upserts: ReadonlySet<string>;
  payments: ReadonlySet<string>;
  emails: ReadonlySet<string>;
  sms: ReadonlySet<string>;
  writes: ReadonlySet<string>;
  keys: ReadonlySet<string>;
}

const vocabularySets = new WeakMap<EffectVocabulary, VocabularySets>();

function setsOf(vocabulary: EffectVocabulary): VocabularySets {
  let sets = vocabularySets.get(vocabulary);
  if (!sets) {
    sets = {
      helpers: new Set(vocabulary.helpers),
      upserts: new Set(vocabulary.upserts),
      payments: new Set(vocabulary.payments),
      emails: new Set(vocabulary.emails),
      sms: new Set(vocabulary.sms),
      writes: new Set(vocabulary.writes),
      keys: new Set(vocabulary.keys),
    };
    vocabularySets.set(vocabulary, sets);
  }
  return sets;
}

/** Method names whose verdict depends on the receiver's text (besides the vocabulary's writes). */
const RECEIVER_NAMES = new Set(['fetch', ...HTTP_VERBS, 'create', 'send', 'add', 'addBulk']);

/** What a call tells about idempotency: an effect, a guard, or nothing. */
export function classifyCall(ts: TypeScript, sourceFile: ts.SourceFile, call: ts.CallExpression, vocabulary: EffectVocabulary): CallEvidence {
  const callee = unwrap(ts, call.expression);
  const isMethod = ts.isPropertyAccessExpression(callee);
  const name = isMethod ? callee.name.text : ts.isIdentifier(callee) ? callee.text : undefined;
  if (!name) return undefined;
  const words = setsOf(vocabulary);
  if (words.helpers.has(name)) return { guard: 'helper' };
  const objects = objectArguments(ts, call);
  if (words.upserts.has(name) || hasOption(ts, objects, 'upsert', true)) return undefined;
  if (carriesKey(ts, objects, words.keys)) return undefined;
  const sql = sqlText(ts, call);
  if (sql !== undefined) {
    if (SQL_INSERT.test(sql)) return SQL_IDEMPOTENT_INSERT.test(sql) ? undefined : INBOX_RECEIVER.test(sql) ? { guard: 'processed-check' } : { effect: 'db-write' };
    if (SQL_UPDATE.test(sql)) return SQL_CONDITIONAL.test(sql) ? undefined : { effect: 'db-write' };
  }
  // Every test below that reads the receiver is guarded by one of these names: other calls skip copying it.
  const needsReceiver = isMethod && (RECEIVER_NAMES.has(name) || words.writes.has(name));
  const receiver = needsReceiver ? receiverText(sourceFile, callee.expression) : '';
  if (name === 'fetch' && !receiver) return httpMethodOption(ts, objects) ? { effect: 'http' } : undefined;
  if (HTTP_VERBS.has(name) && HTTP_CLIENT.test(receiver)) return { effect: 'http' };
  if (words.payments.has(name) || (name === 'create' && PAYMENT_RECEIVER.test(receiver))) return { effect: 'payment' };
  if (words.emails.has(name) || (name === 'send' && EMAIL_RECEIVER.test(receiver))) return { effect: 'email' };
  if (words.sms.has(name) || (name === 'create' && SMS_RECEIVER.test(receiver))) return { effect: 'sms' };
  if ((name === 'add' || name === 'addBulk') && QUEUE_RECEIVER.test(receiver)) return { effect: 'queue-job' };
  if (words.writes.has(name) && receiver && !NOT_A_STORE.test(rootNameOf(receiver))) {
    if (INBOX_RECEIVER.test(receiver)) return { guard: 'processed-check' };
    if (name.startsWith('update') || name.startsWith('findOneAnd') || name.startsWith('findByIdAnd')) {
      return isConditionalUpdate(ts, objects) && !accumulates(ts, objects) ? undefined : { effect: 'db-write' };
    }
    return { effect: 'db-write' };
  }
  return undefined;
}

/** The receiver's text up to its first `.` or `(`: `stripe` of `stripe.charges`. */
function rootNameOf(receiver: string): string {
  for (let index = 0; index < receiver.length; index++) {
    const code = receiver.charCodeAt(index);
    if (code === 0x2e || code === 0x28) return receiver.slice(0, index);
  }
  return receiver;
}

/**
 * The receiver's text, its first and last 100 characters when longer: what the receiver patterns
 * look at (`this.http`, `stripe.charges`) is at its ends, and a long call chain would otherwise be
 * copied and scanned once per call in it.
 */
function receiverText(sourceFile: ts.SourceFile, receiver: ts.Expression): string {
  const start = startOf(sourceFile, receiver);
  const end = receiver.getEnd();
  const text = sourceFile.text;
  return end - start <= 200 ? text.slice(start, end) : `${text.slice(start, start + 100)}…${text.slice(end - 100, end)}`;
}

/**
 * `if (await inbox.has(message.id)) return;` and `if (alreadyProcessed) return;`: a check of
 * whether the message was handled before, whose branch leaves the function.
 */
export function isProcessedCheck(ts: TypeScript, sourceFile: ts.SourceFile, statement: ts.IfStatement, vocabulary: EffectVocabulary): boolean {
  if (!exitsEarly(ts, statement.thenStatement)) return false;
  const condition = statement.expression.getText(sourceFile);
  if (GUARD_CONDITION.test(condition)) return true;
  let found = false;
  const visit = (node: ts.Node): void => {
    if (found) return;
    if (ts.isCallExpression(node)) {
      const callee = unwrap(ts, node.expression);
      const name = ts.isPropertyAccessExpression(callee) ? callee.name.text : ts.isIdentifier(callee) ? callee.text : '';
      if (vocabulary.lookups.includes(name)) found = true;
    }
    ts.forEachChild(node, visit);
  };
  visit(statement.expression);
  return found;
}

/** `obj.count += n`, `account.balance -= x`, `this.total++`: counters and balances. */
export function isCounterUpdate(ts: TypeScript, node: ts.Node): boolean {
  if (ts.isBinaryExpression(node)) {
    const operator = node.operatorToken.kind;
    return (operator === ts.SyntaxKind.PlusEqualsToken || operator === ts.SyntaxKind.MinusEqualsToken) && isPropertyTarget(ts, node.left);
  }
  if (ts.isPostfixUnaryExpression(node) || ts.isPrefixUnaryExpression(node)) {
    const operator = node.operator;
    return (operator === ts.SyntaxKind.PlusPlusToken || operator === ts.SyntaxKind.MinusMinusToken) && isPropertyTarget(ts, node.operand);
  }
  return false;
}

function isPropertyTarget(ts: TypeScript, expression: ts.Expression): boolean {
  const target = unwrap(ts, expression);
  return ts.isPropertyAccessExpression(target) || ts.isElementAccessExpression(target);
}

function exitsEarly(ts: TypeScript, statement: ts.Statement): boolean {
  const first = ts.isBlock(statement) ? statement.statements[statement.statements.length - 1] : statement;
  return first !== undefined && (ts.isReturnStatement(first) || ts.isThrowStatement(first) || ts.isContinueStatement(first));
}

const NO_OBJECTS: readonly ts.ObjectLiteralExpression[] = [];

/** The call's object literal arguments (most calls have none: then no array is made). */
function objectArguments(ts: TypeScript, call: ts.CallExpression): readonly ts.ObjectLiteralExpression[] {
  let objects: ts.ObjectLiteralExpression[] | undefined;
  for (const argument of call.arguments) {
    const inner = unwrap(ts, argument);
    if (ts.isObjectLiteralExpression(inner)) (objects ??= []).push(inner);
  }
  return objects ?? NO_OBJECTS;
}

/** An idempotency key anywhere in the call's object arguments (headers included). */
function carriesKey(ts: TypeScript, objects: readonly ts.ObjectLiteralExpression[], keys: ReadonlySet<string>): boolean {
  const search = (object: ts.ObjectLiteralExpression): boolean =>
    object.properties.some((property) => {
      const key = propertyNameText(ts, property.name);
      if (key && keys.has(key)) return true;
      if (ts.isPropertyAssignment(property)) {
        const value = unwrap(ts, property.initializer);
        return ts.isObjectLiteralExpression(value) && search(value);
      }
      return false;
    });
  return objects.some(search);
}

function hasOption(ts: TypeScript, objects: readonly ts.ObjectLiteralExpression[], name: string, value: boolean): boolean {
  return objects.some((object) =>
    object.properties.some(
      (property) =>
        ts.isPropertyAssignment(property) &&
        propertyNameText(ts, property.name) === name &&
        unwrap(ts, property.initializer).kind === (value ? ts.SyntaxKind.TrueKeyword : ts.SyntaxKind.FalseKeyword),
    ),
  );
}

/** An update whose filter names the state or version it expects (`where: { id, status: 'PENDING' }`). */
function isConditionalUpdate(ts: TypeScript, objects: readonly ts.ObjectLiteralExpression[]): boolean {
  const [filter] = objects;
  if (!filter) return false;
  const where = filter.properties.find((property) => propertyNameText(ts, property.name) === 'where');
  const keys = where && ts.isPropertyAssignment(where) && ts.isObjectLiteralExpression(unwrap(ts, where.initializer)) ? (unwrap(ts, where.initializer) as ts.ObjectLiteralExpression) : filter;
  return keys.properties.some((property) => CONDITIONAL_KEYS.test(propertyNameText(ts, property.name) ?? ''));
}

/** Mongo accumulators (`$inc`, `$push`) are never idempotent, whatever the filter. */
function accumulates(ts: TypeScript, objects: readonly ts.ObjectLiteralExpression[]): boolean {
  return objects.some((object) => object.properties.some((property) => MONGO_ACCUMULATORS.has(propertyNameText(ts, property.name) ?? '')));
}

function httpMethodOption(ts: TypeScript, objects: readonly ts.ObjectLiteralExpression[]): boolean {
  return objects.some((object) =>
    object.properties.some((property) => {
      if (!ts.isPropertyAssignment(property) || propertyNameText(ts, property.name) !== 'method') return false;
      const value = unwrap(ts, property.initializer);
      return ts.isStringLiteralLike(value) && HTTP_VERBS.has(value.text.toLowerCase());
    }),
  );
}

/** The SQL text of a query call: its first string, template or tagged-template argument. */
function sqlText(ts: TypeScript, call: ts.CallExpression): string | undefined {
  const first = call.arguments[0] && unwrap(ts, call.arguments[0]);
  if (!first) return undefined;
  if (ts.isStringLiteralLike(first) || ts.isTemplateExpression(first)) return first.getText();
  return ts.isTaggedTemplateExpression(first) ? first.template.getText() : undefined;
}

/** A tagged SQL template run directly (`prisma.$executeRaw\`INSERT …\``): an effect unless idempotent. */
export function classifySqlTemplate(ts: TypeScript, node: ts.TaggedTemplateExpression): CallEvidence {
  const sql = node.template.getText();
  if (SQL_INSERT.test(sql)) return SQL_IDEMPOTENT_INSERT.test(sql) ? undefined : INBOX_RECEIVER.test(sql) ? { guard: 'processed-check' } : { effect: 'db-write' };
  if (SQL_UPDATE.test(sql)) return SQL_CONDITIONAL.test(sql) ? undefined : { effect: 'db-write' };
  return undefined;
}
