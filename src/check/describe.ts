import type { Topology } from '../graph/topology.js';
import type { Declaration, Location, RelatedLocation } from '../model/result.js';

/** Shared wording and locations for rule messages. */

export function locationOf(site: Location): Location {
  return { file: site.file, line: site.line, column: site.column, ...(site.repository ? { repository: site.repository } : {}) };
}

export function related(site: Location, message: string): RelatedLocation {
  return { ...locationOf(site), message };
}

export function eventName(topology: Topology, eventId: string): string {
  return topology.event(eventId)?.name ?? eventId;
}

/** `PaymentHandler.handle (payment)` */
export function handlerLabel(topology: Topology, handlerId: string): string {
  const handler = topology.handler(handlerId);
  return handler ? `${handler.name} (${handler.service})` : handlerId;
}

export function localFunctionName(functionId: string): string {
  return functionId.slice(functionId.indexOf('#') + 1);
}

export function publishedBy(declaration: Declaration): string {
  return declaration.function ? `${localFunctionName(declaration.function)} (${declaration.service})` : declaration.service;
}


