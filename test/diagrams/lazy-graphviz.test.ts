import { describe, expect, it, vi } from 'vitest';
import { GRAPH_FORMATS } from '../../src/report/graph-formats.js';
import { analyzeFixture } from '../helpers.js';

const loads = vi.hoisted(() => ({ module: 0, graphviz: 0 }));

vi.mock('@hpcc-js/wasm-graphviz', () => {
  loads.module++;
  return {
    Graphviz: {
      load: async () => {
        loads.graphviz++;
        return { dot: (source: string) => `<svg><!-- ${source.length} --></svg>` };
      },
    },
  };
});

describe('the WebAssembly Graphviz is loaded lazily', async () => {
  const shop = await analyzeFixture('shop');

  it('not for mermaid, dot or json', async () => {
    for (const format of ['mermaid', 'dot', 'json']) await GRAPH_FORMATS[format]!(shop, { color: false, view: 'events' });
    expect(loads).toEqual({ module: 0, graphviz: 0 });
  });

  it('on the first svg or html, once', async () => {
    await GRAPH_FORMATS.svg!(shop, { color: false, view: 'events' });
    await GRAPH_FORMATS.html!(shop, { color: false, view: 'flows' });
    expect(loads).toEqual({ module: 1, graphviz: 1 });
  });
});
