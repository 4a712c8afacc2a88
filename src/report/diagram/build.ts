import type { Result } from '../../model/result.js';
import { compareStrings, uniqueSorted } from '../../util/compare.js';
import { baseGraph, edgeKey, type BaseGraph, type BaseNode } from './base.js';
import { findingMarks } from './findings.js';
import { StableIds } from './ids.js';
import { key, ResultIndex } from './lookup.js';
import { suggestNames } from './suggest.js';
import {
  CLASS_ORDER,
  type CollapseKind,
  type Diagram,
  type DiagramEdge,
  type DiagramFinding,
  type DiagramNode,
  type DiagramOptions,
  type ElementClass,
  type LegendEntry,
  type NodeKind,
} from './types.js';

export const DEFAULT_DEPTH = 2;

const KIND_RANK: Record<NodeKind, number> = { service: 0, folder: 1, handler: 2, event: 3, domain: 4 };
const PREFIX: Record<NodeKind, string> = { service: 's', folder: 'gf', handler: 'h', event: 'e', domain: 'gd' };

export const LEGEND_TEXT: Record<ElementClass, string> = {
  cycle: 'event cycle (event-cycle)',
  'service-cycle': 'service cycle (service-cycle)',
  chain: 'linear chain (linear-chain)',
  orphan: 'orphan event: published, never consumed',
  dangling: 'dangling subscription: consumed, never published',
  focus: 'focus',
  start: 'where the flow starts',
  failure: 'failure event',
  compensation: 'compensation event',
};

/**
 * A view of the topology ready to draw: nodes and edges with stable ids, what each finding
 * touches, the classes findings put on them (cycle, chain, orphan…), optionally narrowed to the
 * neighbourhood of a focus and with services grouped by folder or events by domain.
 */
export function buildDiagram(result: Result, options: DiagramOptions): Diagram {
  const index = new ResultIndex(result);
  const graph = baseGraph(index, options.view);
  const marks = findingMarks(index, graph);
  const comments: string[] = [];

  let kept = new Set(graph.nodes.keys());
  const seeds = new Set<string>();
  if (options.focus !== undefined) {
    const depth = options.depth ?? DEFAULT_DEPTH;
    for (const seed of focusSeeds(index, graph, options.focus)) seeds.add(seed);
    kept = neighbourhood(graph, seeds, depth);
    comments.push(
      seeds.size === 0
        ? `focus: nothing in the ${options.view} view matches "${options.focus}"`
        : `focus: ${options.focus}, depth ${depth}: ${kept.size} of ${graph.nodes.size} nodes`,
    );
  }

  const groups = collapseGroups(index, graph, kept, options.collapse ?? []);
  for (const [kind, count] of groups.summary) comments.push(`collapsed by ${kind}: ${count}`);
  const target = (at: string) => groups.of.get(at) ?? at;

  // Ids over the whole view, so that a node keeps its id under --focus and --collapse.
  const ids = new StableIds();
  const ranked = [...graph.nodes.values()].sort((a, b) => KIND_RANK[a.kind] - KIND_RANK[b.kind] || compareStrings(a.name, b.name) || compareStrings(a.key, b.key));
  for (const node of ranked) ids.get(node.key, PREFIX[node.kind], node.name);
  for (const group of [...groups.nodes.values()].sort((a, b) => compareStrings(a.key, b.key))) ids.get(group.key, PREFIX[group.kind], group.name);

  const nodes = new Map<string, DiagramNode>();
  for (const at of kept) {
    const node = graph.nodes.get(at)!;
    const group = groups.nodes.get(target(at));
    const shown = group ?? node;
    if (nodes.has(shown.key)) continue;
    nodes.set(shown.key, {
      id: ids.get(shown.key, PREFIX[shown.kind], shown.name),
      key: shown.key,
      kind: shown.kind,
      label: shown.label,
      ...(group ? { members: group.members } : {}),
      classes: [],
    });
  }

  // The services view has no event nodes: with --collapse domain its labels name domains of 2 or more events.
  const domainSizes = new Map<string, number>();
  if (graph.view === 'services' && options.collapse?.includes('domain')) {
    for (const event of result.topology.events) domainSizes.set(domainOf(event.name), (domainSizes.get(domainOf(event.name)) ?? 0) + 1);
  }
  const edges = new Map<string, DiagramEdge & { items: Set<string> }>();
  for (const edge of graph.edges.values()) {
    if (!kept.has(edge.from) || !kept.has(edge.to)) continue;
    const from = nodes.get(target(edge.from))!;
    const to = nodes.get(target(edge.to))!;
    const at = edgeKey(from.key, to.key);
    let merged = edges.get(at);
    if (!merged) {
      merged = { id: `${from.id}--${to.id}`, from: from.id, to: to.id, label: [], classes: [], items: new Set() };
      edges.set(at, merged);
    }
    for (const event of edge.events) {
      // Events grouped by domain are named by their domain on the edges that carry them.
      const domain = groups.nodes.get(target(key.event(event)));
      if (domain) merged.items.add(domain.label[0]!);
      else if ((domainSizes.get(domainOf(index.eventName(event))) ?? 0) > 1) merged.items.add(`${domainOf(index.eventName(event))}.*`);
      else merged.items.add(index.eventName(event));
    }
    for (const condition of edge.conditions) merged.items.add(condition);
    if (edge.conditions.length === 0 && graph.view === 'flows') merged.items.add('');
  }
  for (const edge of edges.values()) {
    // A flows edge with an unconditional publish among merged ones is unconditional.
    edge.label = edge.items.has('') ? [] : uniqueSorted(edge.items);
  }

  const addClass = (classes: ElementClass[], name: ElementClass) => {
    if (!classes.includes(name)) classes.push(name);
  };
  // A group is dimmed only when all it stands for is; it is in a cycle or chain when a member is.
  const dimmed = new Map<ElementClass, Set<string>>();
  for (const mark of marks) {
    if (mark.mark !== 'orphan' && mark.mark !== 'dangling') continue;
    const set = dimmed.get(mark.mark) ?? new Set<string>();
    for (const at of mark.nodes) set.add(at);
    dimmed.set(mark.mark, set);
  }
  const findings: DiagramFinding[] = marks.map((mark) => {
    const nodeIds = new Set<string>();
    const edgeIds = new Set<string>();
    for (const at of mark.nodes) {
      if (!kept.has(at)) continue;
      const node = nodes.get(target(at))!;
      nodeIds.add(node.id);
      if (!mark.mark) continue;
      const all = dimmed.get(mark.mark);
      if (!node.members || !all || node.members.every((member) => all.has(member))) addClass(node.classes, mark.mark);
    }
    for (const at of mark.edges) {
      const edge = graph.edges.get(at)!;
      if (!kept.has(edge.from) || !kept.has(edge.to)) continue;
      const merged = edges.get(edgeKey(target(edge.from), target(edge.to)))!;
      edgeIds.add(merged.id);
      if (mark.mark) addClass(merged.classes, mark.mark);
    }
    const { finding } = mark;
    const location = finding.location;
    return {
      index: mark.index,
      ruleId: finding.ruleId,
      severity: finding.severity,
      message: finding.message,
      location: `${location.repository ? `${location.repository}:` : ''}${location.file}:${location.line}:${location.column}`,
      docs: finding.docs,
      ...(mark.mark ? { mark: mark.mark } : {}),
      nodes: uniqueSorted(nodeIds),
      edges: uniqueSorted(edgeIds),
    };
  });
  for (const seed of seeds) if (kept.has(seed)) addClass(nodes.get(target(seed))!.classes, 'focus');

  const byOrder = (a: ElementClass, b: ElementClass) => CLASS_ORDER.indexOf(a) - CLASS_ORDER.indexOf(b);
  const nodeList = [...nodes.values()].sort((a, b) => KIND_RANK[a.kind] - KIND_RANK[b.kind] || compareStrings(a.id, b.id));
  for (const node of nodeList) node.classes.sort(byOrder);
  const edgeList: DiagramEdge[] = [...edges.values()]
    .map(({ items: _items, ...edge }) => ({ ...edge, classes: edge.classes.sort(byOrder) }))
    .sort((a, b) => compareStrings(a.from, b.from) || compareStrings(a.to, b.to));
  return { repository: result.repository, view: options.view, nodes: nodeList, edges: edgeList, findings, legend: legendOf(nodeList, edgeList), comments };
}

/** One legend entry per class that some node or edge carries. */
export function legendOf(nodes: readonly DiagramNode[], edges: readonly DiagramEdge[]): LegendEntry[] {
  const present = new Set([...nodes.flatMap((node) => node.classes), ...edges.flatMap((edge) => edge.classes)]);
  return CLASS_ORDER.filter((name) => present.has(name)).map((name) => ({ class: name, text: LEGEND_TEXT[name] }));
}

/** What `--focus` names in a result: events (ids) and services, and near names when nothing matches. */
export function resolveFocus(result: Result, focus: string): { events: string[]; services: string[]; suggestions: string[] } {
  const index = new ResultIndex(result);
  const events = index.eventsNamed(focus);
  const services = index.allServices().filter((service) => service === focus);
  const suggestions =
    events.length + services.length > 0 ? [] : suggestNames(focus, [...result.topology.events.map((event) => event.name), ...index.allServices()]);
  return { events, services, suggestions };
}

/** The view's nodes that stand for the focus: the event or service itself, or where it shows. */
function focusSeeds(index: ResultIndex, graph: BaseGraph, focus: string): string[] {
  const events = index.eventsNamed(focus);
  const services = index.allServices().filter((service) => service === focus);
  const seeds: string[] = [];
  if (graph.view === 'events') {
    seeds.push(...events.map(key.event), ...services.map(key.service));
  } else if (graph.view === 'services') {
    seeds.push(...services.map(key.service));
    for (const event of events) seeds.push(...[...index.publishingServices(event), ...index.consumingServices(event)].map(key.service));
  } else {
    seeds.push(...events.map(key.event));
    for (const service of services) {
      const handlers = [...graph.nodes.values()].filter((node) => node.kind === 'handler' && node.service === service).map((node) => node.key);
      if (handlers.length > 0) seeds.push(...handlers);
      else for (const event of index.result.topology.events) if (index.publishingServices(event.id).includes(service)) seeds.push(key.event(event.id));
    }
  }
  return uniqueSorted(seeds.filter((seed) => graph.nodes.has(seed)));
}

/** Nodes within `depth` hops of the seeds, edges taken in both directions. */
function neighbourhood(graph: BaseGraph, seeds: ReadonlySet<string>, depth: number): Set<string> {
  const adjacent = new Map<string, string[]>();
  const link = (a: string, b: string) => {
    const list = adjacent.get(a);
    if (list) list.push(b);
    else adjacent.set(a, [b]);
  };
  for (const edge of graph.edges.values()) {
    link(edge.from, edge.to);
    link(edge.to, edge.from);
  }
  const kept = new Set(seeds);
  let frontier = [...seeds];
  for (let step = 0; step < depth && frontier.length > 0; step++) {
    const next: string[] = [];
    for (const at of frontier) {
      for (const other of adjacent.get(at) ?? []) {
        if (kept.has(other)) continue;
        kept.add(other);
        next.push(other);
      }
    }
    frontier = next;
  }
  return kept;
}

interface GroupNode {
  key: string;
  kind: 'folder' | 'domain';
  name: string;
  label: string[];
  members: string[];
}

/** The folder a service lives in: its path without the last segment (and without globs). */
export function folderOf(servicePath: string | undefined): string {
  if (!servicePath) return '.';
  const first = servicePath.split(',')[0]!.trim();
  const segments = first.split(/[\\/]/).filter((segment) => segment !== '' && segment !== '.');
  const literal: string[] = [];
  for (const segment of segments) {
    if (/[*?[\]{}!]/.test(segment)) break;
    literal.push(segment);
  }
  const folder = literal.slice(0, -1).join('/');
  return folder === '' ? '.' : folder;
}

/** An event name's domain: its first segment (`shop.order.placed` → `shop`, `OrderPlaced` → `Order`). */
export function domainOf(name: string): string {
  const separated = /^([^./:]+)[./:]/.exec(name);
  if (separated) return separated[1]!;
  const first = name.replace(/([a-z0-9])([A-Z])/g, '$1 $2').split(/[-_\s]+/).find((word) => word !== '');
  return first ?? name;
}

function collapseGroups(
  index: ResultIndex,
  graph: BaseGraph,
  kept: ReadonlySet<string>,
  kinds: readonly CollapseKind[],
): { of: Map<string, string>; nodes: Map<string, GroupNode>; summary: Array<[CollapseKind, string]> } {
  const of = new Map<string, string>();
  const nodes = new Map<string, GroupNode>();
  const summary: Array<[CollapseKind, string]> = [];
  const candidates = [...kept].map((at) => graph.nodes.get(at)!).sort((a, b) => compareStrings(a.key, b.key));
  const group = (kind: CollapseKind, members: BaseNode[], keyOf: (node: BaseNode) => string, describe: (name: string, members: BaseNode[]) => string[]) => {
    const byGroup = new Map<string, BaseNode[]>();
    for (const node of members) {
      const name = keyOf(node);
      byGroup.set(name, [...(byGroup.get(name) ?? []), node]);
    }
    let grouped = 0;
    let into = 0;
    for (const [name, list] of [...byGroup].sort(([a], [b]) => compareStrings(a, b))) {
      if (list.length < 2) continue;
      const groupKey = `${kind}:${name}`;
      nodes.set(groupKey, { key: groupKey, kind, name, label: describe(name, list), members: list.map((node) => node.key) });
      for (const node of list) of.set(node.key, groupKey);
      grouped += list.length;
      into++;
    }
    return { grouped, into };
  };
  if (kinds.includes('folder')) {
    const members = candidates.filter((node) => node.kind === 'service' || node.kind === 'handler');
    const { grouped, into } = group(
      'folder',
      members,
      (node) => folderOf(index.services.get(node.service ?? '')?.path),
      (name, list) => {
        const services = uniqueSorted(list.map((node) => node.service ?? ''));
        const handlers = list.filter((node) => node.kind === 'handler').length;
        return [name === '.' ? './' : `${name}/`, handlers > 0 ? `${handlers} handlers in ${plural(services.length, 'service')}` : plural(services.length, 'service')];
      },
    );
    if (into > 0) summary.push(['folder', `${plural(grouped, graph.view === 'flows' ? 'handler' : 'service')} into ${plural(into, 'group')}`]);
  }
  if (kinds.includes('domain')) {
    const members = candidates.filter((node) => node.kind === 'event');
    const { grouped, into } = group(
      'domain',
      members,
      (node) => domainOf(index.eventName(node.event ?? '')),
      (name, list) => [`${name}.*`, plural(list.length, 'event')],
    );
    if (into > 0) summary.push(['domain', `${plural(grouped, 'event')} into ${plural(into, 'group')}`]);
  }
  return { of, nodes, summary };
}

export function plural(count: number, noun: string): string {
  return `${count} ${noun}${count === 1 ? '' : 's'}`;
}
