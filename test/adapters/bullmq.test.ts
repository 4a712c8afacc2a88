import { describe, expect, it } from 'vitest';
import type { Result } from '../../src/model/result.js';
import { analyzeFixture, expectFixtureOutput } from '../helpers.js';

const declarations = (result: Result) =>
  result.declarations.map((d) => `${d.kind} ${d.event} ${d.file}:${d.line}${d.dynamic ? ' dynamic' : ''}${d.handler && d.kind === 'subscribe' ? ` → ${d.handler}` : ''}`);
const flows = (result: Result) => result.topology.edges.filter((edge) => edge.kind === 'flow').map((edge) => `${edge.from} → ${edge.to} by ${edge.handler}`);

describe('fixture bullmq-queues: BullMQ queues, workers, a sandboxed processor and a flow producer', async () => {
  const result = await analyzeFixture('bullmq-queues');

  it('matches the expected declarations, handlers, edges and findings', () => {
    expectFixtureOutput('bullmq-queues', result);
  });

  it('publishes the queue’s name on add / addBulk, read where the queue was created (env fallback, constants)', () => {
    expect(declarations(result).filter((line) => line.startsWith('publish') && line.includes('src/upload.ts:'))).toEqual([
      'publish media.transcode src/upload.ts:9',
      'publish * src/upload.ts:10 dynamic',
      'publish media.transcode src/upload.ts:14',
      'publish media.publish src/upload.ts:19',
      'publish media.thumbnails src/upload.ts:24',
      'publish media.transcode src/upload.ts:25',
    ]);
    expect(result.declarations.find((d) => d.line === 9 && d.file === 'src/upload.ts')?.resolution).toBe('env-fallback');
  });

  it('keeps a publish on a queue made in another module, with a dynamic name (documented limitation)', () => {
    const imported = result.declarations.find((d) => d.file === 'src/upload.ts' && d.line === 10)!;
    expect(imported).toMatchObject({ kind: 'publish', dynamic: true, expression: 'notifyQueue', transport: 'queue' });
  });

  it('subscribes each Worker with its processor: inline, a named function, or a sandboxed file’s default export', () => {
    expect(declarations(result).filter((line) => line.startsWith('subscribe'))).toEqual([
      'subscribe media.thumbnails src/workers.ts:7 → src/workers.ts#processor@9',
      'subscribe media.transcode src/workers.ts:16 → src/processors/transcode.ts#transcode',
      'subscribe media.notify src/workers.ts:25 → src/workers.ts#sendNotification',
      'subscribe media.publish src/workers.ts:32 → src/workers.ts#publishVideo',
    ]);
  });

  it('follows the sandboxed processor: what it enqueues flows from its queue', () => {
    expect(flows(result)).toEqual(['event:media.transcode → event:media.notify by src/processors/transcode.ts#transcode']);
  });
});

describe('fixture bullmq-nestjs: @InjectQueue producers and @Processor WorkerHost consumers', async () => {
  const result = await analyzeFixture('bullmq-nestjs');

  it('matches the expected declarations, handlers, edges and findings', () => {
    expectFixtureOutput('bullmq-nestjs', result);
  });

  it('names injected queues by their @InjectQueue argument, and processors by @Processor (string or { name })', () => {
    expect(declarations(result)).toEqual([
      'subscribe billing.invoices src/billing/invoice.processor.ts:5 → src/billing/invoice.processor.ts#InvoiceProcessor.process',
      'publish billing.mail src/billing/invoice.processor.ts:13',
      'publish billing.invoices src/billing/invoice.service.ts:11',
      'subscribe billing.mail src/mail/mail.processor.ts:4 → src/mail/mail.processor.ts#MailProcessor.process',
    ]);
  });

  it('does not count a Set’s add in the same service', () => {
    expect(result.declarations.some((d) => d.file === 'src/billing/invoice.service.ts' && d.line === 19)).toBe(false);
  });

  it('connects the invoice processor to the mail queue', () => {
    expect(flows(result)).toEqual(['event:billing.invoices → event:billing.mail by src/billing/invoice.processor.ts#InvoiceProcessor.process']);
  });
});

describe('fixture bullmq-bull: Bull queues with process(), a sandboxed file, and @nestjs/bull @Process methods', async () => {
  const result = await analyzeFixture('bullmq-bull');

  it('matches the expected declarations, handlers, edges and findings', () => {
    expectFixtureOutput('bullmq-bull', result);
  });

  it('reads Bull’s process(name, concurrency, handler) and process(name, file), and one subscription per @Process method', () => {
    expect(declarations(result).filter((line) => line.startsWith('subscribe'))).toEqual([
      'subscribe images src/queues.js:8 → src/queues.js#process@8',
      'subscribe images src/queues.js:13 → src/watermark.js#watermark',
      'subscribe reports src/reports.processor.ts:6 → src/reports.processor.ts#ReportsProcessor.onImageResized',
      'subscribe reports src/reports.processor.ts:11 → src/reports.processor.ts#ReportsProcessor.daily',
    ]);
  });

  it('publishes on Bull queues created with require("bull") and on @InjectQueue from @nestjs/bull', () => {
    expect(declarations(result).filter((line) => line.startsWith('publish'))).toEqual([
      'publish reports src/audit.service.ts:10',
      'publish reports src/queues.js:10',
      'publish images src/queues.js:16',
    ]);
    expect(flows(result)).toEqual(['event:images → event:reports by src/queues.js#process@8']);
  });

  it('does not take a method without @Process as a handler', () => {
    expect(result.handlers.map((h) => h.id)).not.toContain('src/reports.processor.ts#ReportsProcessor.format');
  });
});

describe('fixture bullmq-lookalikes: p-queue, worker threads, an in-memory JobQueue, a Set, an analytics client', async () => {
  const result = await analyzeFixture('bullmq-lookalikes');

  it('matches the expected declarations, handlers, edges and findings', () => {
    expectFixtureOutput('bullmq-lookalikes', result);
  });

  it('declares only the real BullMQ queue', () => {
    expect(declarations(result)).toEqual(['publish images.resized src/resize.ts:27']);
    expect(result.declarations.some((d) => d.file === 'src/batch.ts')).toBe(false);
    expect(result.handlers).toEqual([]);
  });
});

describe('fixture bullmq-services: a shared enqueue helper, an API and a fulfillment worker in a workspace', async () => {
  const result = await analyzeFixture('bullmq-services');

  it('matches the expected declarations, handlers, edges and findings', () => {
    expectFixtureOutput('bullmq-services', result);
  });

  it('lands the helper’s publish at each call, in the caller’s service', () => {
    expect(result.declarations.filter((d) => d.kind === 'publish').map((d) => `${d.event} ${d.service} ${d.file}:${d.line} via ${d.wrapper}`)).toEqual([
      'shop.orders shop-api services/api/src/orders.route.ts:5 via packages/jobs/src/enqueue.ts#enqueue',
      'shop.shipping fulfillment-worker services/fulfillment/src/pick-and-pack.ts:6 via packages/jobs/src/enqueue.ts#enqueue',
    ]);
  });

  it('has an event → event flow through the fulfillment worker, and a service edge from the API', () => {
    expect(flows(result)).toEqual(['event:shop.orders → event:shop.shipping by services/fulfillment/src/pick-and-pack.ts#pickAndPack']);
    expect(result.topology.edges.filter((e) => e.kind === 'subscribe').map((e) => `${e.from} → ${e.to}`)).toEqual([
      'event:shop.orders → handler:services/fulfillment/src/pick-and-pack.ts#pickAndPack',
      'event:shop.shipping → handler:services/fulfillment/src/main.ts#processor@10',
    ]);
  });
});
