import { describe, expect, it } from 'vitest';
import type { Result } from '../../src/model/result.js';
import { analyzeFixture, expectFixtureOutput } from '../helpers.js';

const sites = (result: Result) =>
  result.declarations.map((d) => `${d.kind} ${d.event} ${d.file}:${d.line} ${d.framework}/${d.transport} ${d.resolution}`);
const flows = (result: Result) => result.topology.edges.filter((edge) => edge.kind === 'flow').map((edge) => `${edge.from} → ${edge.to}`);

describe('fixture aws-sdk-sns: SNS publishes named by topic ARN', async () => {
  const result = await analyzeFixture('aws-sdk-sns');

  it('matches the expected declarations, handlers, edges and findings', () => {
    expectFixtureOutput('aws-sdk-sns', result);
  });

  it('names each publish by the last segment of its topic ARN, at the command', () => {
    expect(sites(result)).toEqual([
      'publish order-cancelled.fifo src/orders/cancel-order.ts:7 aws-sdk/sns literal',
      'publish order-cancelled.fifo src/orders/cancel-order.ts:17 aws-sdk/sns literal',
      'publish order-events src/orders/place-order.ts:12 aws-sdk/sns env-fallback',
      'publish payment-captured src/payments/capture.ts:8 aws-sdk/sns template',
      'publish payment-failed src/payments/capture.ts:10 aws-sdk/sns template',
      'publish refunds src/refunds/refund.ts:7 aws-sdk/sns template',
      'publish daily-reports src/reports/daily-report.js:7 aws-sdk/sns literal',
      'publish * src/shipping/ship.ts:8 aws-sdk/sns dynamic',
      'publish * src/shipping/ship.ts:10 aws-sdk/sns dynamic',
    ]);
  });

  it('resolves a module constant holding `process.env.X ?? ARN` to the fallback topic', () => {
    const publish = result.declarations.find((d) => d.file === 'src/orders/place-order.ts');
    expect(publish).toMatchObject({ event: 'order-events', resolution: 'env-fallback', dynamic: false, function: 'src/orders/place-order.ts#placeOrder' });
  });

  it('keeps a bare environment variable and an ARN imported from another module dynamic, never skipped', () => {
    const dynamic = result.declarations.filter((d) => d.dynamic).map((d) => d.expression);
    expect(dynamic).toEqual(['process.env.SHIPMENTS_TOPIC_ARN', 'INVENTORY_TOPIC_ARN']);
  });

  it('instantiates the publisher wrapper at each call site, with the topic the caller names', () => {
    const wrapped = result.declarations.filter((d) => d.wrapper === 'src/messaging/topic-publisher.ts#TopicPublisher.publish');
    expect(wrapped.map((d) => `${d.event} ${d.file}:${d.line}`)).toEqual(['payment-captured src/payments/capture.ts:8', 'payment-failed src/payments/capture.ts:10']);
  });

  it('declares nothing for an SMS or a mobile push (no topic)', () => {
    expect(result.declarations.filter((d) => d.file === 'src/notifications/sms.ts')).toEqual([]);
  });
});

describe('fixture aws-sdk-sqs: SQS sends and sqs-consumer consumers', async () => {
  const result = await analyzeFixture('aws-sdk-sqs');

  it('matches the expected declarations, handlers, edges and findings', () => {
    expectFixtureOutput('aws-sdk-sqs', result);
  });

  it('names sends and consumers by the last path segment of the queue URL', () => {
    expect(sites(result)).toEqual([
      'publish stock-reserved src/inventory/reserve-stock.ts:8 aws-sdk/sqs template',
      'publish orders-queue src/orders/checkout.ts:7 aws-sdk/sqs env-fallback',
      'subscribe orders-queue src/orders/order-consumer.ts:5 sqs-consumer/sqs env-fallback',
      'subscribe stock-reserved src/shipping/shipping-worker.ts:11 sqs-consumer/sqs literal',
      'publish parcels src/shipping/shipping-worker.ts:24 aws-sdk/sqs literal',
    ]);
  });

  it('takes handleMessage and handleMessageBatch (bound methods too) as the handlers', () => {
    expect(result.declarations.filter((d) => d.kind === 'subscribe').map((d) => d.handler)).toEqual([
      'src/orders/order-consumer.ts#handleMessage@8',
      'src/shipping/shipping-worker.ts#ShippingWorker.shipBatch',
    ]);
  });

  it('connects queue → queue through what each handler sends', () => {
    expect(flows(result)).toEqual(['event:orders-queue → event:stock-reserved', 'event:stock-reserved → event:parcels']);
  });
});

describe('fixture aws-sdk-eventbridge: PutEvents, one publish per entry', async () => {
  const result = await analyzeFixture('aws-sdk-eventbridge');

  it('matches the expected declarations, handlers, edges and findings', () => {
    expectFixtureOutput('aws-sdk-eventbridge', result);
  });

  it('declares each entry at the entry, named by its DetailType', () => {
    expect(sites(result)).toEqual([
      'publish PriceChanged src/pricing/change-price.ts:8 aws-sdk/eventbridge imported-constant',
      'publish * src/pricing/change-price.ts:14 aws-sdk/eventbridge dynamic',
      'publish ProductCreated src/products/create-product.ts:9 aws-sdk/eventbridge imported-constant',
      'publish StockInitialised src/products/create-product.ts:15 aws-sdk/eventbridge literal',
      'publish ProductRetired src/products/create-product.ts:30 aws-sdk/eventbridge imported-constant',
    ]);
  });

  it('reads the entry an `Entries: items.map(…)` builds, and keeps an entry held in a variable dynamic', () => {
    expect(result.declarations.find((d) => d.event === 'ProductRetired')?.column).toBe(34);
    expect(result.declarations.find((d) => d.dynamic)?.expression).toBe('entry');
  });
});

describe('fixture aws-sdk-lookalikes: same names, other libraries', async () => {
  const result = await analyzeFixture('aws-sdk-lookalikes');

  it('matches the expected declarations, handlers, edges and findings', () => {
    expectFixtureOutput('aws-sdk-lookalikes', result);
  });

  it('counts only the SNS PublishCommand, even imported under another name beside a CQRS PublishCommand', () => {
    expect(sites(result)).toEqual(['publish article-published src/cms/notify-readers.ts:11 aws-sdk/sns literal']);
  });

  it('declares nothing for a CQRS command, AWS IoT’s PublishCommand, an in-house client, a webhook `.send()` or other SDK commands', () => {
    const files = new Set(result.declarations.map((d) => d.file));
    for (const file of ['src/cms/publish-article.ts', 'src/devices/thermostat.ts', 'src/legacy/reindex.ts', 'src/jobs/admin.ts', 'src/notifications/webhooks.ts']) {
      expect(files.has(file)).toBe(false);
    }
  });
});

describe('fixture aws-sdk-services: three services through a shared messaging package', async () => {
  const result = await analyzeFixture('aws-sdk-services');

  it('matches the expected declarations, handlers, edges and findings', () => {
    expectFixtureOutput('aws-sdk-services', result);
  });

  it('lands the shared wrappers’ sends and consumers in the service that calls them', () => {
    expect(result.declarations.map((d) => `${d.kind} ${d.event} ${d.service}`)).toEqual([
      'publish invoices-queue @shop/billing',
      'subscribe orders-queue @shop/billing',
      'publish orders-queue @shop/checkout',
      'subscribe invoices-queue @shop/notifications',
    ]);
  });

  it('finds the flow orders-queue → invoices-queue through billing’s handler', () => {
    expect(result.topology.edges.filter((edge) => edge.kind === 'flow')).toEqual([
      {
        kind: 'flow',
        from: 'event:orders-queue',
        to: 'event:invoices-queue',
        declaration: expect.stringContaining('packages/billing/src/issue-invoice.ts:5:9:publish:invoices-queue'),
        handler: 'packages/billing/src/issue-invoice.ts#issueInvoice',
      },
    ]);
  });
});
