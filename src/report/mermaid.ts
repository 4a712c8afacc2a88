import type { Declaration, Result } from '../model/result.js';
import { compareStrings, uniqueSorted } from '../util/compare.js';

export type GraphView = 'events' | 'services' | 'flows';

/**
 * The topology as a Mermaid flowchart. `events`: services, the events they publish and the
 * services that consume them. `services`: service → service, labelled with the events.
 * `flows`: event → event, labelled with the handler that carries the flow.
 */
export function renderMermaid(result: Result, view: GraphView): string {
  const declarations = new Map(result.declarations.map((declaration) => [declaration.id, declaration]));
  const handlers = new Map(result.handlers.map((handler) => [handler.id, handler]));
  const ids = new NodeIds();
  const lines = ['flowchart LR'];
  const edges = new Set<string>();

  if (view === 'services') {
    for (const event of result.topology.events) {
      const producers = servicesOf(event.publishers, declarations);
      const consumers = servicesOf(event.subscribers, declarations);
      for (const producer of producers) for (const consumer of consumers) if (producer !== consumer) edges.add(`${producer}\0${consumer}\0${event.name}`);
    }
    const grouped = new Map<string, string[]>();
    for (const edge of edges) {
      const [from, to, event] = edge.split('\0') as [string, string, string];
      grouped.set(`${from}\0${to}`, [...(grouped.get(`${from}\0${to}`) ?? []), event]);
    }
    for (const service of result.services) lines.push(`  ${ids.get('s', service.name)}["${escape(service.name)}"]`);
    for (const key of [...grouped.keys()].sort(compareStrings)) {
      const [from, to] = key.split('\0') as [string, string];
      lines.push(`  ${ids.get('s', from)} -->|"${escape(uniqueSorted(grouped.get(key)!).join(', '))}"| ${ids.get('s', to)}`);
    }
    return `${lines.join('\n')}\n`;
  }

  for (const event of result.topology.events) {
    const label = event.scope ? `${event.name} (in-process, ${event.scope})` : event.name;
    lines.push(`  ${ids.get('e', event.id)}(["${escape(label)}"])`);
  }
  if (view === 'flows') {
    for (const edge of result.topology.edges) {
      if (edge.kind !== 'flow') continue;
      const handler = edge.handler ? handlers.get(edge.handler) : undefined;
      const label = handler ? `${handler.service}: ${handler.name}` : '';
      edges.add(`  ${ids.get('e', edge.from.slice('event:'.length))} -->|"${escape(label)}"| ${ids.get('e', edge.to.slice('event:'.length))}`);
    }
  } else {
    for (const service of result.services) lines.push(`  ${ids.get('s', service.name)}["${escape(service.name)}"]`);
    for (const event of result.topology.events) {
      for (const service of servicesOf(event.publishers, declarations)) edges.add(`  ${ids.get('s', service)} --> ${ids.get('e', event.id)}`);
      for (const service of servicesOf(event.subscribers, declarations)) edges.add(`  ${ids.get('e', event.id)} --> ${ids.get('s', service)}`);
    }
  }
  lines.push(...[...edges].sort(compareStrings));
  return `${lines.join('\n')}\n`;
}

function servicesOf(declarationIds: readonly string[], declarations: Map<string, Declaration>): string[] {
  return uniqueSorted(declarationIds.map((id) => declarations.get(id)?.service ?? '').filter(Boolean));
}

/** Short node ids in first-seen order; the document's order is sorted, so they are stable. */
class NodeIds {
  private readonly ids = new Map<string, string>();
  private readonly counters = new Map<string, number>();

  get(prefix: string, key: string): string {
    const full = `${prefix}\0${key}`;
    let id = this.ids.get(full);
    if (!id) {
      const next = this.counters.get(prefix) ?? 0;
      this.counters.set(prefix, next + 1);
      id = `${prefix}${next}`;
      this.ids.set(full, id);
    }
    return id;
  }
}

function escape(text: string): string {
  return text.replace(/"/g, '#quot;');
}
