import { describe, expect, it } from 'vitest';
import { buildDiagram, GRAPHVIZ_LIMITS, MERMAID_LIMITS, mermaidGraph, svgGraph } from '../../src/report/diagram/index.js';
import { GRAPH_FORMATS } from '../../src/report/graph-formats.js';
import { mermaidEdgeCount, mermaidFlowchartProblems, syntheticResult, type SyntheticEvent } from './helpers.js';

const EVENTS = 2_000;

/** 2,000 events in 20 domains, 400 services in 4 folders; each event has a publisher, two consumers, and a third leads on. */
function largeResult() {
  const SERVICES = 400;
  const services = Array.from({ length: SERVICES }, (_, i) => ({ name: `svc-${String(i).padStart(3, '0')}`, path: `area${i % 4}/svc-${String(i).padStart(3, '0')}` }));
  const name = (i: number) => `domain${String(i % 20).padStart(2, '0')}.event-${String(i).padStart(4, '0')}`;
  const events: SyntheticEvent[] = Array.from({ length: EVENTS }, (_, i) => ({
    name: name(i),
    publishers: [services[i % SERVICES]!.name],
    consumers: [services[(i + 7) % SERVICES]!.name, services[(i + 13) % SERVICES]!.name],
    ...(i % 3 === 0 ? { then: [name((i + 1) % EVENTS)] } : {}),
  }));
  return syntheticResult({ services, events });
}

/** Every event and service in a domain and folder of its own: grouping cannot make it smaller. */
function ungroupableResult() {
  const services = Array.from({ length: EVENTS }, (_, i) => ({ name: `s${i}`, path: `f${i}/s${i}` }));
  const events: SyntheticEvent[] = Array.from({ length: EVENTS }, (_, i) => ({ name: `d${i}.e`, publishers: [`s${i}`], consumers: [`s${(i + 1) % EVENTS}`] }));
  return syntheticResult({ services, events });
}

describe("Mermaid output stays within Mermaid's default limits", () => {
  const large = largeResult();

  it('a generated topology of 2,000 events is over the limits as it is', () => {
    const whole = buildDiagram(large, { view: 'events' });
    expect(whole.nodes.filter((node) => node.kind === 'event')).toHaveLength(EVENTS);
    expect(whole.edges.length).toBeGreaterThan(MERMAID_LIMITS.maxEdges);
  });

  it.each(['events', 'services', 'flows'] as const)('%s view: collapsed by folder and domain, said in a comment line and in a note', (view) => {
    const { text, notes } = mermaidGraph(large, { view });
    expect(text.length).toBeLessThanOrEqual(MERMAID_LIMITS.maxTextSize);
    expect(mermaidEdgeCount(text)).toBeLessThanOrEqual(MERMAID_LIMITS.maxEdges);
    expect(mermaidFlowchartProblems(text)).toEqual([]);
    expect(notes).toHaveLength(1);
    expect(notes[0]).toMatch(/over Mermaid's default limits \(maxEdges 500, maxTextSize 50000\): collapsed by folder and domain; use --focus <event\|service>/);
    expect(text.split('\n')).toContain(`  %% ${notes[0]}`);
    if (view !== 'services') expect(text).toContain('gd_domain00{{"domain00.*<br/>100 events"}}');
    expect(text).toContain(view === 'flows' ? 'gf_area0[["area0/<br/>' : 'gf_area0[["area0/<br/>100 services"]]');
  });

  it('when grouping cannot shrink it enough, only the first edges are drawn, and the note says how many', () => {
    const { text, notes } = mermaidGraph(ungroupableResult(), { view: 'events' });
    expect(text.length).toBeLessThanOrEqual(MERMAID_LIMITS.maxTextSize);
    expect(mermaidEdgeCount(text)).toBeLessThanOrEqual(MERMAID_LIMITS.maxEdges);
    expect(mermaidFlowchartProblems(text)).toEqual([]);
    expect(notes).toHaveLength(1);
    const drawn = mermaidEdgeCount(text);
    expect(drawn).toBeGreaterThan(100);
    expect(notes[0]).toContain(`so only the first ${drawn} of 4000 edges are drawn`);
    expect(text).toContain(`%% ${notes[0]}`);
  });

  it('--focus on a large topology needs no collapsing', () => {
    const { text, notes } = mermaidGraph(large, { view: 'events', focus: 'domain03.event-0003', depth: 1 });
    expect(notes).toEqual([]);
    expect(text).toContain('e_domain03_event_0003(["domain03.event-0003"])');
  });

  it('SVG (and the HTML page) stay within what the in-process Graphviz lays out quickly', async () => {
    const started = Date.now();
    const { text, notes } = await svgGraph(large, { view: 'events' });
    expect(Date.now() - started).toBeLessThan(20_000);
    expect(notes).toHaveLength(1);
    expect(notes[0]).toMatch(/^2400 nodes and \d+ edges are over what the in-process Graphviz lays out in reasonable time \(1000 nodes, 2000 edges\): collapsed by folder and domain; use --focus/);
    expect(text).toContain(`<!-- ${notes[0]!.replace(/-(?=-)/g, '\u2011')} -->\n<svg`);
    expect(text).not.toMatch(/<!--(?:(?!-->)[\s\S])*--(?!>)/);
    expect((text.match(/class="node /g) ?? []).length).toBeLessThanOrEqual(GRAPHVIZ_LIMITS.maxNodes);
    expect(text).toContain('<g id="gd_domain00" class="node domain">');
  }, 60_000);

  it('the other formats are not limited: DOT keeps every event', async () => {
    const dot = (await GRAPH_FORMATS.dot!(large, { color: false, view: 'events' })).text;
    expect(dot.split('\n').filter((line) => line.includes('class="event')).length).toBe(EVENTS);
  });
});
