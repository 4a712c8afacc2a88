import type { Declaration, Handler, Result, Route, Service } from '../model/result.js';
import { compareBy } from '../util/compare.js';
import type { TopologyInput } from './topology.js';

/**
 * The topology input of this repository plus the result documents of others (each produced by
 * `choreolint check --format json` in its own CI): a company whose services live in several
 * repositories checks the whole choreography. Ids from another repository are prefixed with its
 * name, and its declarations, handlers and routes carry `repository`.
 */
export function mergeResults(local: TopologyInput, others: readonly Result[]): TopologyInput {
  if (others.length === 0) return local;
  const services = new Map<string, Service>(local.services.map((service) => [service.name, service]));
  const declarations: Declaration[] = [...local.declarations];
  const routes: Route[] = [...local.routes];
  const handlers: Handler[] = [...local.handlers];
  for (const other of others) {
    const repository = other.repository;
    const prefix = (id: string) => `${repository}:${id}`;
    for (const service of other.services) if (!services.has(service.name)) services.set(service.name, service);
    for (const declaration of other.declarations) {
      declarations.push({
        ...declaration,
        id: prefix(declaration.id),
        repository,
        ...(declaration.function ? { function: prefix(declaration.function) } : {}),
        ...(declaration.handler ? { handler: prefix(declaration.handler) } : {}),
        ...(declaration.wrapper ? { wrapper: prefix(declaration.wrapper) } : {}),
      });
    }
    for (const route of other.routes) routes.push({ ...route, id: prefix(route.id), repository });
    for (const handler of other.handlers) {
      handlers.push({
        ...handler,
        id: prefix(handler.id),
        repository,
        subscribes: handler.subscribes.map(prefix),
        triggers: handler.triggers.map((trigger) => ({ ...trigger, declaration: prefix(trigger.declaration), via: trigger.via.map(prefix) })),
        ...(handler.effects ? { effects: handler.effects.map((effect) => ({ ...effect, repository, via: effect.via.map(prefix) })) } : {}),
        ...(handler.guards ? { guards: handler.guards.map((guard) => ({ ...guard, repository, via: guard.via.map(prefix) })) } : {}),
      });
    }
  }
  return {
    services: [...services.values()].sort(compareBy<Service>((s) => s.name)),
    declarations: declarations.sort(compareBy<Declaration>((d) => d.repository ?? '', (d) => d.file, (d) => d.line, (d) => d.column, (d) => d.kind, (d) => d.event)),
    routes: routes.sort(compareBy<Route>((r) => r.repository ?? '', (r) => r.id)),
    handlers: handlers.sort(compareBy<Handler>((h) => h.repository ?? '', (h) => h.id)),
  };
}
