import { describe, expect, it } from 'vitest';
import type { Result } from '../../src/model/result.js';
import { analyzeFixture, expectFixtureOutput } from '../helpers.js';

const sites = (result: Result) => result.declarations.map((d) => `${d.kind} ${d.event} ${d.transport} ${d.file}:${d.line}`);
const flows = (result: Result) => result.topology.edges.filter((edge) => edge.kind === 'flow').map((edge) => `${edge.from} → ${edge.to}`);

describe('fixture nestjs-cqrs-handlers: buses and handler classes', async () => {
  const result = await analyzeFixture('nestjs-cqrs-handlers');
  const handlers = 'src/orders/handlers';

  it('matches the expected declarations, handlers, edges and findings', () => {
    expectFixtureOutput('nestjs-cqrs-handlers', result);
  });

  it('declares bus calls and handler classes, named by class', () => {
    expect(sites(result)).toEqual([
      `subscribe CancelOrderCommand in-process ${handlers}/cancel-order.handler.ts:5`,
      `publish OrderCancelledEvent in-process ${handlers}/cancel-order.handler.ts:10`,
      `publish StockReleasedEvent in-process ${handlers}/cancel-order.handler.ts:10`,
      `subscribe GetOrderQuery rpc ${handlers}/get-order.handler.ts:5`,
      `subscribe OrderPlacedEvent in-process ${handlers}/order-projection.handler.ts:5`,
      `subscribe OrderCancelledEvent in-process ${handlers}/order-projection.handler.ts:5`,
      `subscribe PlaceOrderCommand in-process ${handlers}/place-order.handler.ts:6`,
      `publish OrderPlacedEvent in-process ${handlers}/place-order.handler.ts:15`,
      `subscribe OrderPlacedEvent in-process ${handlers}/reserve-stock.handler.ts:4`,
      `publish StockReservedEvent in-process ${handlers}/reserve-stock.handler.ts:10`,
      'publish PlaceOrderCommand in-process src/orders/orders.controller.ts:16',
      'publish CancelOrderCommand in-process src/orders/orders.controller.ts:22',
      'publish GetOrderQuery rpc src/orders/orders.controller.ts:27',
      'publish * in-process src/orders/outbox.relay.ts:12',
    ]);
  });

  it('takes handle() of an @EventsHandler and execute() of a @CommandHandler / @QueryHandler as handlers', () => {
    const subscribes = result.declarations.filter((d) => d.kind === 'subscribe').map((d) => `${d.event} → ${d.handler}`);
    expect(subscribes).toEqual([
      `CancelOrderCommand → ${handlers}/cancel-order.handler.ts#CancelOrderHandler.execute`,
      `GetOrderQuery → ${handlers}/get-order.handler.ts#GetOrderHandler.execute`,
      `OrderPlacedEvent → ${handlers}/order-projection.handler.ts#OrderProjection.handle`,
      `OrderCancelledEvent → ${handlers}/order-projection.handler.ts#OrderProjection.handle`,
      `PlaceOrderCommand → ${handlers}/place-order.handler.ts#PlaceOrderHandler.execute`,
      `OrderPlacedEvent → ${handlers}/reserve-stock.handler.ts#ReserveStockHandler.handle`,
    ]);
  });

  it('follows a local constant holding the message, and keeps an unknown batch as dynamic', () => {
    const cancel = result.declarations.find((d) => d.file === 'src/orders/orders.controller.ts' && d.line === 22);
    expect(cancel).toMatchObject({ event: 'CancelOrderCommand', resolution: 'class', expression: 'command' });
    const relay = result.declarations.find((d) => d.file === 'src/orders/outbox.relay.ts');
    expect(relay).toMatchObject({ dynamic: true, expression: 'this.pending.splice(0)' });
  });

  it('connects commands to the events their handlers publish, and keeps the query out of the flow', () => {
    expect(flows(result)).toEqual([
      'event:CancelOrderCommand@orders-api → event:OrderCancelledEvent@orders-api',
      'event:CancelOrderCommand@orders-api → event:StockReleasedEvent@orders-api',
      'event:OrderPlacedEvent@orders-api → event:StockReservedEvent@orders-api',
      'event:PlaceOrderCommand@orders-api → event:OrderPlacedEvent@orders-api',
    ]);
  });
});

describe('fixture nestjs-cqrs-sagas: sagas map events to commands', async () => {
  const result = await analyzeFixture('nestjs-cqrs-sagas');
  const sagas = 'src/fulfilment/order.sagas.ts';

  it('matches the expected declarations, handlers, edges and findings', () => {
    expectFixtureOutput('nestjs-cqrs-sagas', result);
  });

  it('subscribes each saga to the classes in its ofType(...), with the saga as the handler', () => {
    const subscribes = result.declarations.filter((d) => d.file === sagas && d.kind === 'subscribe').map((d) => `${d.event} ${d.line} → ${d.handler}`);
    expect(subscribes).toEqual([
      `OrderPlacedEvent 15 → ${sagas}#OrderSagas.orderPlaced`,
      `PaymentSucceededEvent 22 → ${sagas}#OrderSagas.paymentSucceeded`,
      `PaymentFailedEvent 34 → ${sagas}#OrderSagas.orderFailed`,
      `StockShortageEvent 34 → ${sagas}#OrderSagas.orderFailed`,
      `OrderShippedEvent 42 → ${sagas}#OrderSagas.orderShipped`,
    ]);
  });

  it('publishes the commands a saga maps to (returned, inside of(...), or in a conditional), not other new expressions', () => {
    const publishes = result.declarations.filter((d) => d.file === sagas && d.kind === 'publish').map((d) => `${d.event} ${d.line}`);
    expect(publishes).toEqual([
      'ReserveStockCommand 16',
      'ShipOrderCommand 26',
      'CancelOrderCommand 36',
      'NotifyCustomerCommand 36',
      'NotifyCustomerCommand 44',
      'NotifyCustomerCommand 44',
    ]);
    expect(result.declarations.some((d) => d.event === 'Date')).toBe(false);
    expect(result.declarations.some((d) => d.file === sagas && d.line >= 49)).toBe(false);
  });

  it('declares both branches of a conditional publish', () => {
    expect(result.declarations.filter((d) => d.file === 'src/checkout/checkout.controller.ts').map((d) => d.event)).toEqual([
      'OrderPlacedEvent',
      'PaymentSucceededEvent',
      'PaymentFailedEvent',
    ]);
  });

  it('chains event → saga → command → command handler → event', () => {
    const scoped = (name: string) => `event:${name}@fulfilment-service`;
    expect(flows(result)).toEqual(
      expect.arrayContaining([
        `${scoped('OrderPlacedEvent')} → ${scoped('ReserveStockCommand')}`,
        `${scoped('ReserveStockCommand')} → ${scoped('StockShortageEvent')}`,
        `${scoped('StockShortageEvent')} → ${scoped('CancelOrderCommand')}`,
        `${scoped('PaymentSucceededEvent')} → ${scoped('ShipOrderCommand')}`,
        `${scoped('ShipOrderCommand')} → ${scoped('OrderShippedEvent')}`,
        `${scoped('OrderShippedEvent')} → ${scoped('NotifyCustomerCommand')}`,
      ]),
    );
  });
});

describe('fixture nestjs-cqrs-aggregates: events applied by aggregate roots', async () => {
  const result = await analyzeFixture('nestjs-cqrs-aggregates');
  const aggregate = 'src/orders/order.aggregate.ts';

  it('matches the expected declarations, handlers, edges and findings', () => {
    expectFixtureOutput('nestjs-cqrs-aggregates', result);
  });

  it('publishes at this.apply(new X()) in a class extending AggregateRoot through a base class', () => {
    expect(result.declarations.filter((d) => d.file === aggregate).map((d) => `${d.kind} ${d.event} ${d.line} in ${d.function}`)).toEqual([
      `publish OrderPlacedEvent 11 in ${aggregate}#Order.place`,
      `publish OrderCancelledEvent 16 in ${aggregate}#Order.ship`,
      `publish OrderShippedEvent 19 in ${aggregate}#Order.ship`,
    ]);
  });

  it('does not count replayed history or an apply() on a class that is no aggregate', () => {
    expect(result.declarations.some((d) => d.file === aggregate && d.line >= 23 && d.line <= 26)).toBe(false);
    expect(result.declarations.some((d) => d.file === 'src/orders/rules.ts')).toBe(false);
  });

  it('reaches the aggregate’s events from the command handlers that call its methods', () => {
    expect(flows(result)).toEqual([
      'event:PlaceOrderCommand@order-domain → event:OrderPlacedEvent@order-domain',
      'event:ShipOrderCommand@order-domain → event:OrderCancelledEvent@order-domain',
      'event:ShipOrderCommand@order-domain → event:OrderShippedEvent@order-domain',
    ]);
    const ship = result.handlers.find((h) => h.id === 'src/orders/order.handlers.ts#ShipOrderHandler.execute');
    expect(ship?.triggers.map((t) => `${t.event} via ${t.via.join(' > ')}`)).toEqual([
      `OrderCancelledEvent via ${aggregate}#Order.ship`,
      `OrderShippedEvent via ${aggregate}#Order.ship`,
    ]);
  });
});

describe('fixture nestjs-cqrs-look-alikes: an in-house bus, a job runner and NgRx effects do not count', async () => {
  const result = await analyzeFixture('nestjs-cqrs-look-alikes');

  it('matches the expected declarations, handlers, edges and findings', () => {
    expectFixtureOutput('nestjs-cqrs-look-alikes', result);
  });

  it('declares only the real @EventsHandler', () => {
    expect(sites(result)).toEqual(['subscribe OrderArchivedEvent in-process src/orders/archive.ts:16']);
  });

  it('ignores publish/execute on other classes (even one named EventBus), a local @CommandHandler and ofType outside a saga', () => {
    expect(result.declarations.some((d) => ['ArchiveOrderCommand', 'MonthlyReport', 'LoadOrders', 'OrdersLoaded'].includes(d.event))).toBe(false);
    expect(result.declarations.some((d) => d.kind === 'publish')).toBe(false);
  });
});

describe('fixture nestjs-cqrs-workspace: aggregate, saga, command and event handlers in one service, a second service beside it', async () => {
  const result = await analyzeFixture('nestjs-cqrs-workspace');
  const ordering = (name: string) => `event:${name}@ordering-service`;

  it('matches the expected declarations, handlers, edges and findings', () => {
    expectFixtureOutput('nestjs-cqrs-workspace', result);
  });

  it('follows the whole chain: command → aggregate event → saga → command → event handler → aggregate event', () => {
    expect(flows(result)).toEqual([
      `${ordering('CheckInventoryCommand')} → ${ordering('InventoryCheckedEvent')}`,
      `${ordering('InventoryCheckedEvent')} → ${ordering('OrderConfirmedEvent')}`,
      `${ordering('OrderPlacedEvent')} → ${ordering('CheckInventoryCommand')}`,
      `${ordering('PlaceOrderCommand')} → ${ordering('OrderPlacedEvent')}`,
    ]);
  });

  it('scopes the event classes to each service’s own bus: the catalog never receives OrderPlacedEvent', () => {
    expect(result.topology.events.find((e) => e.id === 'OrderPlacedEvent@catalog-service')?.publishers).toEqual([]);
    expect(result.findings.filter((f) => f.ruleId === 'dangling-subscription').map((f) => f.location.file)).toEqual([
      'packages/catalog/src/popularity.handler.ts',
    ]);
  });
});
