import { stronglyConnectedComponents } from '../../graph/scc.js';
import type { Topology } from '../../graph/topology.js';
import { eventName } from '../describe.js';

/**
 * What reaches what along the event-flow graph, for every event at once: the services whose
 * handlers react to it or to anything it causes, the compensation events among all it causes, and
 * the services that publish it or anything that leads to it. Computed once over the strongly
 * connected components, downstream and upstream in topological order, as bit sets: a walk from
 * every failure event instead costs the graph's size once per failure, minutes on a dense graph of
 * 10,000 events.
 */
export class FlowReach {
  private readonly serviceIndex = new Map<string, number>();
  private readonly nameIndex = new Map<string, number>();
  private readonly componentOf = new Map<string, number>();
  private readonly reacting: Uint32Array[] = [];
  private readonly following: Uint32Array[] = [];
  private readonly publishing: Uint32Array[] = [];
  private readonly masks = new WeakMap<ReadonlySet<string>, Uint32Array>();

  constructor(topology: Topology, compensationNames: ReadonlySet<string>) {
    const graph = topology.flowGraph;
    const components = stronglyConnectedComponents(graph.nodes(), (node) => graph.successors(node) ?? []);
    components.forEach((members, index) => members.forEach((event) => this.componentOf.set(event, index)));
    for (const name of compensationNames) this.nameIndex.set(name, this.nameIndex.size);
    const services = [...topology.handlers().map((handler) => handler.service), ...topology.input.declarations.map((declaration) => declaration.service)];
    for (const service of services) if (!this.serviceIndex.has(service)) this.serviceIndex.set(service, this.serviceIndex.size);
    const serviceWords = wordsFor(this.serviceIndex.size);

    for (const members of components) {
      const reacting = new Uint32Array(serviceWords);
      const following = new Uint32Array(wordsFor(this.nameIndex.size));
      const publishing = new Uint32Array(serviceWords);
      for (const event of members) {
        const name = this.nameIndex.get(eventName(topology, event));
        if (name !== undefined) setBit(following, name);
        for (const handler of topology.consumersOf(event)) {
          const service = topology.handler(handler)?.service;
          if (service !== undefined) setBit(reacting, this.serviceIndex.get(service)!);
        }
        for (const publish of topology.producersOf(event)) setBit(publishing, this.serviceIndex.get(publish.service)!);
      }
      this.reacting.push(reacting);
      this.following.push(following);
      this.publishing.push(publishing);
    }

    const successors = components.map(() => new Set<number>());
    const predecessors = components.map(() => new Set<number>());
    components.forEach((members, index) => {
      for (const event of members) {
        for (const next of graph.successors(event) ?? []) {
          const target = this.componentOf.get(next)!;
          if (target === index) continue;
          successors[index]!.add(target);
          predecessors[target]!.add(index);
        }
      }
    });
    inTopologicalOrder(successors, predecessors, (index, from) => {
      orInto(this.reacting[index]!, this.reacting[from]!);
      orInto(this.following[index]!, this.following[from]!);
    });
    inTopologicalOrder(predecessors, successors, (index, from) => orInto(this.publishing[index]!, this.publishing[from]!));
  }

  /** Whether the service reacts to the event or to anything it causes. */
  reacts(event: string, service: string): boolean {
    return this.has(this.reacting, event, this.serviceIndex.get(service));
  }

  /** Whether the compensation event (by name) is the event or follows from it. */
  follows(event: string, compensation: string): boolean {
    return this.has(this.following, event, this.nameIndex.get(compensation));
  }

  /**
   * The services that publish something leading to `origin` (or `origin` itself), and react
   * neither to `failure` nor to what it causes, leaving out `excused`.
   */
  unreactingUpstream(origin: string, failure: string, excused: Iterable<string>): number {
    const upstream = this.bitsOf(this.publishing, origin);
    const reacting = this.bitsOf(this.reacting, failure);
    if (!upstream) return 0;
    let count = 0;
    for (let index = 0; index < upstream.length; index++) count += popcount(upstream[index]! & ~(reacting?.[index] ?? 0));
    const counted = new Set<string>();
    for (const service of excused) {
      const bit = this.serviceIndex.get(service);
      if (bit !== undefined && hasBit(upstream, bit) && !(reacting && hasBit(reacting, bit)) && !counted.has(service)) counted.add(service);
    }
    return count - counted.size;
  }

  private bitsOf(sets: Uint32Array[], event: string): Uint32Array | undefined {
    const component = this.componentOf.get(event);
    return component === undefined ? undefined : sets[component];
  }

  private has(sets: Uint32Array[], event: string, bit: number | undefined): boolean {
    const bits = this.bitsOf(sets, event);
    return bits !== undefined && bit !== undefined && hasBit(bits, bit);
  }
}

/** Visits components so that every `from` is visited before the components `edges` lead from it to. */
function inTopologicalOrder(edges: Array<Set<number>>, reverse: Array<Set<number>>, merge: (index: number, from: number) => void): void {
  const pending = edges.map((set) => set.size);
  const ready = pending.flatMap((count, index) => (count === 0 ? [index] : []));
  while (ready.length > 0) {
    const index = ready.pop()!;
    for (const from of edges[index]!) merge(index, from);
    for (const next of reverse[index]!) if (--pending[next]! === 0) ready.push(next);
  }
}

const wordsFor = (bits: number) => Math.max(1, Math.ceil(bits / 32));
const setBit = (set: Uint32Array, bit: number) => (set[bit >>> 5]! |= 1 << (bit & 31));
const hasBit = (set: Uint32Array, bit: number) => (set[bit >>> 5]! & (1 << (bit & 31))) !== 0;

function orInto(target: Uint32Array, source: Uint32Array): void {
  for (let index = 0; index < target.length; index++) target[index]! |= source[index]!;
}

function popcount(word: number): number {
  let value = word - ((word >>> 1) & 0x55555555);
  value = (value & 0x33333333) + ((value >>> 2) & 0x33333333);
  return Math.imul((value + (value >>> 4)) & 0x0f0f0f0f, 0x01010101) >>> 24;
}
