import { describe, expect, it } from 'vitest';
import type { Result } from '../../src/model/result.js';
import { analyzeFixture, expectFixtureOutput } from '../helpers.js';

const subscriptions = (result: Result) =>
  result.declarations
    .filter((d) => d.framework === 'serverless')
    .map((d) => `${d.event}${d.match ? ` (${d.match})` : ''} ${d.transport} ${d.file}:${d.line} ${d.resolution} → ${d.handler}`);

describe('fixture serverless-functions: sqs, sns and eventBridge events of serverless.yml', async () => {
  const result = await analyzeFixture('serverless-functions');

  it('matches the expected declarations, handlers, edges and findings', () => {
    expectFixtureOutput('serverless-functions', result);
  });

  it('subscribes each function’s handler at the line of each event entry', () => {
    expect(subscriptions(result)).toEqual([
      'orders-queue sqs serverless.yml:23 literal → src/handlers/order.ts#process',
      'orders-queue-priority sqs serverless.yml:24 template → src/handlers/order.ts#process',
      'shipments-queue sqs serverless.yml:27 template → src/handlers/order.ts#process',
      'returns-queue sqs serverless.yml:35 template → src/handlers/order.ts#process',
      'payments-* sqs serverless.yml:41 dynamic → src/handlers/payments.ts#capture',
      'RefundsQueue sqs serverless.yml:43 template → src/handlers/payments.ts#capture',
      'payment-audit sqs serverless.yml:45 env-fallback → src/handlers/payments.ts#capture',
      'order-shipped sns serverless.yml:50 literal → src/handlers/notify.ts#handler',
      'order-cancelled sns serverless.yml:51 literal → src/handlers/notify.ts#handler',
      'invoices sns serverless.yml:53 literal → src/handlers/notify.ts#handler',
      '* sns serverless.yml:56 dynamic → src/handlers/notify.ts#handler',
      'OrderAmended eventbridge serverless.yml:61 literal → src/handlers/order-placed.ts#main',
      'OrderPlaced eventbridge serverless.yml:61 literal → src/handlers/order-placed.ts#main',
      'Stock* (glob) eventbridge serverless.yml:69 template → src/handlers/order-placed.ts#main',
      '* eventbridge serverless.yml:77 dynamic → src/handlers/audit.ts#record',
    ]);
  });

  it('resolves every handler path to its module’s export', () => {
    expect(result.handlers.filter((h) => h.unresolved)).toEqual([]);
  });

  it('reads ${self:…} from the file and uses a variable’s default; other variables stay dynamic', () => {
    const expression = (line: number) => result.declarations.find((d) => d.line === line)?.expression;
    expect(expression(24)).toBe('arn:aws:sqs:${aws:region}:${aws:accountId}:${self:custom.ordersQueueName}-priority');
    expect(expression(45)).toBe("${env:AUDIT_QUEUE_ARN, 'arn:aws:sqs:eu-west-1:123456789012:payment-audit'}");
    expect(expression(41)).toBe('payments-${sls:stage}');
    expect(expression(56)).toBe('${env:ALERTS_TOPIC_ARN}');
  });

  it('declares nothing for http events and eventBridge schedules', () => {
    expect(result.declarations.filter((d) => d.handler === 'src/handlers/audit.ts#record')).toHaveLength(1);
  });
});

describe('fixture serverless-invalid: a broken serverless.yml beside a valid one', async () => {
  const result = await analyzeFixture('serverless-invalid');

  it('matches the expected declarations, handlers, edges and findings', () => {
    expectFixtureOutput('serverless-invalid', result);
  });

  it('reports the invalid YAML with its line and column, and goes on with the other files', () => {
    expect(result.diagnostics).toEqual([
      expect.objectContaining({ code: 'parse-error', file: 'serverless.yml', line: 13, column: 1, message: expect.stringContaining('invalid YAML') }),
    ]);
    expect(subscriptions(result)).toEqual(['billing-orders sqs services/billing/serverless.yml:11 literal → services/billing/src/invoice.ts#handler']);
  });

  it('reads only files named serverless.yml or serverless.yaml', () => {
    expect(result.declarations.some((d) => d.file === 'config/queues.yml')).toBe(false);
  });
});

describe('fixture serverless-services: three services, each with its serverless.yml', async () => {
  const result = await analyzeFixture('serverless-services');

  it('matches the expected declarations, handlers, edges and findings', () => {
    expectFixtureOutput('serverless-services', result);
  });

  it('gives each serverless.yml’s subscriptions to the package it lies in', () => {
    expect(subscriptions(result)).toEqual([
      'PaymentCaptured eventbridge packages/notifications/serverless.yml:11 literal → packages/notifications/src/receipts.ts#send',
      'orders sns packages/payments/serverless.yml:11 literal → packages/payments/src/charge.ts#main',
    ]);
    expect(result.declarations.filter((d) => d.kind === 'subscribe').map((d) => d.service)).toEqual(['@shop/notifications', '@shop/payments']);
  });

  it('finds orders → PaymentCaptured through the payments Lambda', () => {
    const flows = result.topology.edges.filter((edge) => edge.kind === 'flow').map((edge) => `${edge.from} → ${edge.to} by ${edge.handler}`);
    expect(flows).toEqual(['event:orders → event:PaymentCaptured by packages/payments/src/charge.ts#main']);
  });
});
