import { describe, expect, it } from 'vitest';
import type { Result } from '../../src/model/result.js';
import { analyzeFixture, expectFixtureOutput } from '../helpers.js';

const sites = (result: Result) => result.declarations.map((d) => `${d.kind} ${d.event}${d.match ? ` (${d.match})` : ''} ${d.file}:${d.line}`);
const flows = (result: Result) => result.topology.edges.filter((edge) => edge.kind === 'flow').map((edge) => `${edge.from} → ${edge.to}`);

describe('fixture nestjs-event-emitter-listeners: @OnEvent listeners and EventEmitter2 emits in one app', async () => {
  const result = await analyzeFixture('nestjs-event-emitter-listeners');

  it('matches the expected declarations, handlers, edges and findings', () => {
    expectFixtureOutput('nestjs-event-emitter-listeners', result);
  });

  it('declares every @OnEvent, emit, emitAsync and on, with wildcard names as eventemitter2 patterns', () => {
    expect(sites(result)).toEqual([
      'subscribe order.created src/listeners/order.listener.ts:9',
      'subscribe order.paid src/listeners/order.listener.ts:14',
      'subscribe order.refunded src/listeners/order.listener.ts:19',
      'subscribe order.* (eventemitter2) src/listeners/order.listener.ts:24',
      'subscribe order.shipped.* (eventemitter2) src/listeners/order.listener.ts:29',
      'subscribe ** (eventemitter2) src/listeners/order.listener.ts:34',
      'subscribe user.signed-up src/listeners/user.listener.ts:7',
      'subscribe user.reactivated src/listeners/user.listener.ts:8',
      'publish order.created src/orders/orders.service.ts:10',
      'publish order.paid src/orders/orders.service.ts:14',
      'publish order.refunded src/orders/orders.service.ts:18',
      'publish order.shipped.* src/orders/orders.service.ts:22',
      'subscribe user.logged-in src/users/users.service.ts:12',
      'publish user.signed-up src/users/users.service.ts:16',
      'publish user.reactivated src/users/users.service.ts:20',
      'publish user.logged-in src/users/users.service.ts:24',
    ]);
  });

  it('takes the decorated method as the handler, and each stacked @OnEvent as a subscription of its own', () => {
    const handlers = result.declarations.filter((d) => d.file === 'src/listeners/user.listener.ts').map((d) => `${d.event} → ${d.handler}`);
    expect(handlers).toEqual([
      'user.signed-up → src/listeners/user.listener.ts#UserListener.sendWelcome',
      'user.reactivated → src/listeners/user.listener.ts#UserListener.sendWelcome',
    ]);
  });

  it('reads an array as an EventEmitter2 namespace (one event), not as a list of events', () => {
    expect(result.declarations.filter((d) => d.line === 19 || d.line === 18).map((d) => `${d.kind} ${d.event}`)).toEqual([
      'subscribe order.refunded',
      'publish order.refunded',
    ]);
  });

  it('attaches wildcard listeners to every matching event of the service', () => {
    const audit = 'src/listeners/order.listener.ts#OrderListener.auditOrder';
    const trace = 'src/listeners/order.listener.ts#OrderListener.traceAll';
    const subscribed = (handler: string) =>
      result.topology.edges.filter((e) => e.kind === 'subscribe' && e.to === `handler:${handler}`).map((e) => e.from);
    expect(subscribed(audit)).toEqual(['event:order.created@shop-backend', 'event:order.paid@shop-backend', 'event:order.refunded@shop-backend']);
    expect(subscribed(trace)).toHaveLength(6);
  });

  it('keeps an emit whose name depends on a parameter as a dynamic declaration', () => {
    expect(result.declarations.filter((d) => d.dynamic).map((d) => `${d.event} ${d.expression}`)).toEqual(['order.shipped.* `order.shipped.${carrier}`']);
  });
});

describe('fixture nestjs-event-emitter-look-alikes: Angular outputs, socket.io and an in-house OnEvent do not count', async () => {
  const result = await analyzeFixture('nestjs-event-emitter-look-alikes');

  it('matches the expected declarations, handlers, edges and findings', () => {
    expectFixtureOutput('nestjs-event-emitter-look-alikes', result);
  });

  it('declares only the emit on the injected EventEmitter2', () => {
    expect(sites(result)).toEqual(['publish order.created src/server/orders.service.ts:14']);
  });

  it('ignores Angular’s EventEmitter, a socket.io server, an rxjs Subject and the legacy hooks', () => {
    const files = new Set(result.declarations.map((d) => d.file));
    for (const file of ['src/web/order-filter.component.ts', 'src/server/live.gateway.ts', 'src/server/legacy-audit.ts']) expect(files.has(file)).toBe(false);
    expect(result.declarations.some((d) => d.event === 'audit.recorded')).toBe(false);
  });
});

describe('fixture nestjs-event-emitter-workspace: listeners that emit further events, in two services', async () => {
  const result = await analyzeFixture('nestjs-event-emitter-workspace');

  it('matches the expected declarations, handlers, edges and findings', () => {
    expectFixtureOutput('nestjs-event-emitter-workspace', result);
  });

  it('chains listeners inside each service: account.registered → mail.requested → mail.sent', () => {
    expect(flows(result)).toEqual([
      'event:account.registered@accounts-service → event:mail.requested@accounts-service',
      'event:invoice.created@billing-service → event:mail.requested@billing-service',
      'event:mail.requested@accounts-service → event:mail.sent@accounts-service',
    ]);
  });

  it('instantiates the DomainEvents.publish wrapper at each caller, including inside a listener', () => {
    expect(result.declarations.filter((d) => d.wrapper).map((d) => `${d.event} ${d.file}:${d.line} in ${d.function}`)).toEqual([
      'account.registered packages/accounts/src/accounts.service.ts:10 in packages/accounts/src/accounts.service.ts#AccountsService.register',
      'account.closed packages/accounts/src/accounts.service.ts:14 in packages/accounts/src/accounts.service.ts#AccountsService.close',
      'mail.requested packages/accounts/src/welcome.listener.ts:12 in packages/accounts/src/welcome.listener.ts#WelcomeListener.onRegistered',
    ]);
  });

  it('scopes events to their service: billing’s mail.requested reaches no accounts listener', () => {
    const billingMail = result.topology.events.find((e) => e.id === 'mail.requested@billing-service');
    expect(billingMail?.subscribers).toEqual([]);
    expect(result.findings.filter((f) => f.ruleId === 'orphan-event').map((f) => f.location.file)).toContain('packages/billing/src/invoices.service.ts');
  });
});
