import { describe, expect, it } from 'vitest';
import { buildTopology } from '../../src/graph/topology.js';
import { analyzeFixture } from '../helpers.js';

describe('Topology.graph, the whole graph of services, events and handlers', async () => {
  const result = await analyzeFixture('shop');
  const topology = buildTopology(result);

  it('holds every service, event and handler, and every publish, subscribe and trigger edge of the document', () => {
    const graph = topology.graph;
    expect(graph.nodeCount()).toBe(result.services.length + result.topology.events.length + result.handlers.length);
    const edges = result.topology.edges.filter((edge) => edge.kind !== 'flow');
    expect(graph.edges().map((edge) => `${edge.v} -> ${edge.w} ${edge.name}`).sort()).toEqual(edges.map((edge) => `${edge.from} -> ${edge.to} ${edge.kind}|${edge.declaration}`).sort());
    expect(graph.successors('service:order-service')?.sort()).toEqual(['event:shop.order.cancelled', 'event:shop.order.confirmed', 'event:shop.order.placed']);
  });

  it('is built once, on first use', () => {
    expect(topology.graph).toBe(topology.graph);
  });
});
