import { describe, expect, it } from 'vitest';
import type { Result } from '../../src/model/result.js';
import { analyzeFixture, expectFixtureOutput } from '../helpers.js';

const cdkSites = (result: Result) =>
  result.declarations.filter((d) => d.framework === 'aws-cdk').map((d) => `${d.kind} ${d.event} ${d.file}:${d.line} ${d.transport} → ${d.handler}`);
const routes = (result: Result) => result.routes.map((r) => `${r.from}${r.match ? ` (${r.match})` : ''} → ${r.to} ${r.file}:${r.line}${r.dynamic ? ' dynamic' : ''}`);
const flows = (result: Result) => result.topology.edges.filter((edge) => edge.kind === 'flow').map((edge) => `${edge.from} → ${edge.to} by ${edge.handler}`);

describe('fixture aws-cdk-eventbridge: rules, their targets and detail types', async () => {
  const result = await analyzeFixture('aws-cdk-eventbridge');

  it('matches the expected declarations, handlers, edges and findings', () => {
    expectFixtureOutput('aws-cdk-eventbridge', result);
  });

  it('routes each detail type into its rule, and a rule into its queue target', () => {
    expect(routes(result)).toEqual([
      'OrderPlaced → OrderPlacedRule lib/orders-stack.ts:23',
      'StockReserved → stock-outcome lib/orders-stack.ts:35',
      'StockShortage → stock-outcome lib/orders-stack.ts:35',
      'Order* (glob) → AuditRule lib/orders-stack.ts:43',
      'AuditRule → order-audit lib/orders-stack.ts:44',
      '* → PaymentsMirror lib/orders-stack.ts:50 dynamic',
    ]);
  });

  it('subscribes each Lambda target to its rule (ruleName, else the construct id), with the handler its props name', () => {
    expect(cdkSites(result)).toEqual([
      'subscribe OrderPlacedRule lib/orders-stack.ts:24 eventbridge → src/handlers/reserve-stock.ts#main',
      'subscribe stock-outcome lib/orders-stack.ts:37 eventbridge → src/handlers/notify-customer.ts#handler',
      'subscribe * lib/orders-stack.ts:51 eventbridge → src/handlers/notify-customer.ts#handler',
    ]);
  });

  it('keeps a rule without a detail type dynamic, and ignores a scheduled rule', () => {
    expect(result.declarations.find((d) => d.dynamic && d.kind === 'subscribe')?.expression).toBe("{ source: ['shop.payments'] }");
    expect(result.handlers.map((h) => h.id)).not.toContain('src/handlers/nightly-report.ts#handler');
  });

  it('connects the event the rule routes to what its Lambda publishes', () => {
    expect(flows(result)).toEqual([
      'event:OrderPlaced → event:StockReserved by src/handlers/reserve-stock.ts#main',
      'event:OrderPlaced → event:StockShortage by src/handlers/reserve-stock.ts#main',
    ]);
  });
});

describe('fixture aws-cdk-sns-sqs: topic subscriptions and Lambda event sources', async () => {
  const result = await analyzeFixture('aws-cdk-sns-sqs');

  it('matches the expected declarations, handlers, edges and findings', () => {
    expectFixtureOutput('aws-cdk-sns-sqs', result);
  });

  it('routes the topic into the queue its SqsSubscription names', () => {
    expect(routes(result)).toEqual(['orders → billing-invoices lib/billing-stack.ts:27']);
  });

  it('subscribes functions to queues and topics, resolving entry, handler and Code.fromAsset paths', () => {
    expect(cdkSites(result)).toEqual([
      'subscribe billing-invoices lib/billing-stack.ts:32 sqs → src/issue-invoice.ts#handler',
      'subscribe orders lib/billing-stack.ts:36 sns → src/fraud-check.ts#check',
      'subscribe invoices lib/billing-stack.ts:43 sns → src/analytics/index.ts#handler',
      'subscribe RefundRequests lib/billing-stack.ts:49 sqs → src/refund.ts#handler',
    ]);
    expect(result.handlers.filter((h) => h.unresolved)).toEqual([]);
  });

  it('attaches the queue subscription to the topic routed into it, so the flow continues', () => {
    expect(result.topology.events.find((event) => event.id === 'orders')?.subscribers).toHaveLength(2);
    expect(flows(result)).toEqual(['event:orders → event:invoices by src/issue-invoice.ts#handler']);
  });
});

describe('fixture aws-cdk-lookalikes: infrastructure that carries no events', async () => {
  const result = await analyzeFixture('aws-cdk-lookalikes');

  it('matches the expected declarations, handlers, edges and findings', () => {
    expectFixtureOutput('aws-cdk-lookalikes', result);
  });

  it('declares only the CDK v1 rule; nothing for DynamoDB streams, S3 notifications, schedules or other libraries’ Rule and Topic', () => {
    expect(cdkSites(result)).toEqual(['subscribe OrderPaidRule lib/legacy-stack.ts:17 eventbridge → src/handlers/award-points.ts#handler']);
    expect(routes(result)).toEqual(['OrderPaid → OrderPaidRule lib/legacy-stack.ts:16']);
    expect(result.declarations.some((d) => d.file === 'lib/loyalty-stack.ts' || d.file.startsWith('src/'))).toBe(false);
  });
});

describe('fixture aws-cdk-services: one stack per service, topics imported by ARN', async () => {
  const result = await analyzeFixture('aws-cdk-services');

  it('matches the expected declarations, handlers, edges and findings', () => {
    expectFixtureOutput('aws-cdk-services', result);
  });

  it('routes an imported topic (Topic.fromTopicArn) into the queue of another service', () => {
    expect(result.routes.map((r) => `${r.from} → ${r.to} ${r.service}`)).toEqual(['orders → payments-charge-orders @shop/payments']);
  });

  it('finds orders → payments through the payments Lambda, and the services it connects', () => {
    expect(flows(result)).toEqual(['event:orders → event:payments by packages/payments/src/charge.ts#charge']);
    expect(result.declarations.filter((d) => d.kind === 'subscribe').map((d) => `${d.event} ${d.service}`)).toEqual([
      'payments-charge-orders @shop/payments',
      'payments @shop/shipping',
    ]);
  });
});
