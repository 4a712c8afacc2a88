import { describe, expect, it } from 'vitest';
import type { Result } from '../../src/model/result.js';
import { analyzeFixture, expectFixtureOutput } from '../helpers.js';

const declarations = (result: Result) =>
  result.declarations.map(
    (d) => `${d.kind} ${d.event}${d.match ? ` (${d.match})` : ''} ${d.transport} ${d.file}:${d.line}${d.kind === 'subscribe' ? ` → ${d.handler}` : ''}`,
  );
const flows = (result: Result) => result.topology.edges.filter((edge) => edge.kind === 'flow').map((edge) => `${edge.from} → ${edge.to}`);

describe('fixture moleculer-schemas: a module.exports service, an export default schema, and broker.createService', async () => {
  const result = await analyzeFixture('moleculer-schemas');

  it('matches the expected declarations, handlers, edges and findings', () => {
    expectFixtureOutput('moleculer-schemas', result);
  });

  it('subscribes every event entry (method, { handler }, function, arrow) and skips $-internal events', () => {
    expect(declarations(result).filter((line) => line.startsWith('subscribe') && line.includes(' moleculer '))).toEqual([
      'subscribe payment.completed moleculer services/orders.service.js:24 → services/orders.service.js#event@24',
      'subscribe payment.failed moleculer services/orders.service.js:27 → services/orders.service.js#event@29',
      'subscribe stock.reserved moleculer services/payments.ts:9 → services/payments.ts#event@9',
      'subscribe order.* (eventemitter2) moleculer services/stock.service.ts:16 → services/stock.service.ts#default.events.order.*.handler',
    ]);
    expect(result.declarations.some((d) => d.event.startsWith('$'))).toBe(false);
  });

  it('names actions service.action with the version prefix, as request/reply (rpc)', () => {
    expect(declarations(result).filter((line) => line.includes(' rpc '))).toEqual([
      'subscribe v1.orders.create rpc services/orders.service.js:9 → services/orders.service.js#action@11',
      'publish v1.stock.reserve rpc services/orders.service.js:13',
      'subscribe v1.orders.get rpc services/orders.service.js:18 → services/orders.service.js#action@18',
      'publish v1.orders.cancel rpc services/orders.service.js:30',
      'publish v1.gateway.charge rpc services/payments.ts:10',
      'subscribe v1.stock.reserve rpc services/stock.service.ts:8 → services/stock.service.ts#default.actions.reserve.handler',
    ]);
  });

  it('publishes from ctx (untyped in JavaScript, typed Context in TypeScript), this.broker in a schema, and a ServiceBroker', () => {
    expect(declarations(result).filter((line) => line.startsWith('publish') && line.includes(' moleculer '))).toEqual([
      'publish order.created moleculer services/orders.service.js:14',
      'publish order.paid moleculer services/orders.service.js:25',
      'publish payment.completed moleculer services/payments.ts:11',
      'publish payment.failed moleculer services/payments.ts:12',
      'publish stock.reserved moleculer services/stock.service.ts:11',
      'publish stock.committed moleculer services/stock.service.ts:19',
    ]);
  });

  it('matches the wildcard subscription like EventEmitter2 and honours a branch on ctx.eventName', () => {
    const wildcard = result.declarations.find((d) => d.match === 'eventemitter2')!;
    expect(result.topology.events.filter((e) => e.subscribers.includes(wildcard.id)).map((e) => e.id)).toEqual(['order.created', 'order.paid']);
    expect(result.handlers.find((h) => h.id === wildcard.handler)?.triggers.map((t) => `${t.event} when ${t.when}`)).toEqual(['stock.committed when order.paid']);
    expect(flows(result)).toEqual([
      'event:order.paid → event:stock.committed',
      'event:payment.completed → event:order.paid',
      'event:stock.reserved → event:payment.completed',
      'event:stock.reserved → event:payment.failed',
    ]);
  });

  it('gives a method handler in an unnamed module.exports object a function of its own', () => {
    expect(result.handlers.filter((h) => h.unresolved).map((h) => h.id)).toEqual([]);
    expect(result.handlers.find((h) => h.id === 'services/orders.service.js#event@24')?.triggers.map((t) => t.event)).toEqual(['order.paid']);
  });
});

describe('fixture moleculer-classes: class-based services with parseServiceSchema and this.method handlers', async () => {
  const result = await analyzeFixture('moleculer-classes');

  it('matches the expected declarations, handlers, edges and findings', () => {
    expectFixtureOutput('moleculer-classes', result);
  });

  it('reads computed event keys from an enum, this.method and this.method.bind(this) handlers', () => {
    expect(declarations(result).filter((line) => line.startsWith('subscribe'))).toEqual([
      'subscribe user.registered moleculer src/services/mailer.service.ts:10 → src/services/mailer.service.ts#MailerService.sendVerification',
      'subscribe user.welcomed moleculer src/services/mailer.service.ts:13 → src/services/mailer.service.ts#MailerService.logWelcome',
      'subscribe users.register rpc src/services/users.service.ts:11 → src/services/users.service.ts#UsersService.register',
      'subscribe user.verified moleculer src/services/users.service.ts:17 → src/services/users.service.ts#UsersService.onVerified',
    ]);
  });

  it('counts this.broker in a class extending Service, and a typed Context', () => {
    expect(declarations(result).filter((line) => line.startsWith('publish'))).toEqual([
      'publish user.verified moleculer src/services/mailer.service.ts:24',
      'publish user.registered moleculer src/services/users.service.ts:24',
      'publish user.welcomed moleculer src/services/users.service.ts:29',
    ]);
    expect(flows(result)).toEqual(['event:user.registered → event:user.verified', 'event:user.verified → event:user.welcomed']);
  });
});

describe('fixture moleculer-mixins: a mixin from a shared package, an inline mixin, and a mixin factory', async () => {
  const result = await analyzeFixture('moleculer-mixins');

  it('matches the expected declarations, handlers, edges and findings', () => {
    expectFixtureOutput('moleculer-mixins', result);
  });

  it('declares a shared mixin’s events once, where its code lives (its package is the service)', () => {
    const audit = result.declarations.find((d) => d.event === 'vehicle.**')!;
    expect(audit).toMatchObject({ kind: 'subscribe', service: '@fleet/mixins', file: 'packages/mixins/src/audit.mixin.ts', line: 6, match: 'eventemitter2' });
    expect(result.topology.events.find((e) => e.id === 'vehicle.retired')?.subscribers).toContain(audit.id);
  });

  it('declares an inline mixin’s events in the service that holds them, and nothing for a factory', () => {
    expect(declarations(result).filter((line) => line.includes('vehicles.service.ts'))).toEqual([
      'subscribe vehicle.retired moleculer services/orders/src/vehicles.service.ts:11 → services/orders/src/vehicles.service.ts#event@13',
      'publish maintenance.cancelled moleculer services/orders/src/vehicles.service.ts:14',
      'subscribe vehicles.retire rpc services/orders/src/vehicles.service.ts:21 → services/orders/src/vehicles.service.ts#VehiclesService.actions.retire',
      'publish vehicle.retired moleculer services/orders/src/vehicles.service.ts:22',
    ]);
    expect(result.declarations.some((d) => d.event.startsWith('cache.clean'))).toBe(false);
  });
});

describe('fixture moleculer-lookalikes: socket.io emit, an untyped ctx outside services, Function.prototype.call, an analytics config', async () => {
  const result = await analyzeFixture('moleculer-lookalikes');

  it('matches the expected declarations, handlers, edges and findings', () => {
    expectFixtureOutput('moleculer-lookalikes', result);
  });

  it('declares only the ServiceBroker’s emit', () => {
    expect(declarations(result)).toEqual(['publish order.forwarded moleculer src/realtime.ts:28']);
  });
});

describe('fixture moleculer-services: orders → payments → notifications, one package per service', async () => {
  const result = await analyzeFixture('moleculer-services');

  it('matches the expected declarations, handlers, edges and findings', () => {
    expectFixtureOutput('moleculer-services', result);
  });

  it('lands the helper’s ctx.emit at its call in the payments handler', () => {
    const settled = result.declarations.find((d) => d.kind === 'publish' && d.event === 'payment.settled')!;
    expect(settled).toMatchObject({ service: 'payments-service', file: 'services/payments/src/payments.service.ts', line: 11, wrapper: 'services/payments/src/emit.ts#emitPaymentEvent' });
  });

  it('has event → event flows across services, and keeps the fraud check call out of them', () => {
    expect(flows(result)).toEqual(['event:order.placed → event:payment.settled', 'event:payment.settled → event:receipt.sent']);
    expect(result.topology.events.find((e) => e.id === 'order.placed')?.subscribers.map((id) => result.declarations.find((d) => d.id === id)?.service)).toEqual([
      'notifications-service',
      'payments-service',
    ]);
    expect(result.declarations.find((d) => d.event === 'fraud.check')?.transport).toBe('rpc');
  });
});
