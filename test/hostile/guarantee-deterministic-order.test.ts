import type * as Fs from 'node:fs';
import type * as FsPromises from 'node:fs/promises';
import { describe, expect, it, vi } from 'vitest';
import { analyze } from '../../src/analyze.js';
import { configureRules } from '../../src/check/configure.js';
import { runRules } from '../../src/check/run.js';
import { buildTopology, type TopologyInput } from '../../src/graph/topology.js';
import { CHECK_FORMATS } from '../../src/report/check-formats.js';
import { GRAPH_FORMATS } from '../../src/report/graph-formats.js';
import { fixture } from '../helpers.js';

/**
 * The file system lists a directory in whatever order it keeps it (creation order, hash order):
 * the output must not depend on it. Directory listings are shuffled here with a seeded PRNG, and
 * every format must come out byte for byte the same as with the listing in its natural order.
 */
const listing = vi.hoisted(() => {
  const state = { seed: undefined as number | undefined, calls: 0, reordered: 0 };
  /** mulberry32: small, seeded, good enough to shuffle a directory listing. */
  const random = (seed: number) => () => {
    seed = (seed + 0x6d2b79f5) | 0;
    let t = Math.imul(seed ^ (seed >>> 15), 1 | seed);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  const shuffle = <T>(entries: T[]): T[] => {
    state.calls++;
    if (state.seed === undefined || !Array.isArray(entries)) return entries;
    const next = random(state.seed * 7919 + state.calls);
    const shuffled = [...entries];
    for (let i = shuffled.length - 1; i > 0; i--) {
      const j = Math.floor(next() * (i + 1));
      [shuffled[i], shuffled[j]] = [shuffled[j]!, shuffled[i]!];
    }
    if (shuffled.some((entry, index) => entry !== entries[index])) state.reordered++;
    return shuffled;
  };
  return { state, shuffle };
});

vi.mock('node:fs', async (importOriginal) => {
  const actual = await importOriginal<typeof Fs>();
  const readdirSync = ((...args: Parameters<typeof actual.readdirSync>) => listing.shuffle(actual.readdirSync(...args) as unknown[])) as typeof actual.readdirSync;
  const readdir = ((...args: unknown[]) => {
    const callback = args.pop() as (error: unknown, entries?: unknown[]) => void;
    (actual.readdir as (...inner: unknown[]) => void)(...args, (error: unknown, entries?: unknown[]) => callback(error, entries && listing.shuffle(entries)));
  }) as typeof actual.readdir;
  const promises = { ...actual.promises, readdir: (async (...args: Parameters<typeof actual.promises.readdir>) => listing.shuffle((await actual.promises.readdir(...args)) as unknown[])) as typeof actual.promises.readdir };
  return { ...actual, readdirSync, readdir, promises, default: { ...actual, readdirSync, readdir, promises } };
});

vi.mock('node:fs/promises', async (importOriginal) => {
  const actual = await importOriginal<typeof FsPromises>();
  const readdir = (async (...args: Parameters<typeof actual.readdir>) => listing.shuffle((await actual.readdir(...args)) as unknown[])) as typeof actual.readdir;
  return { ...actual, readdir, default: { ...actual, readdir } };
});

const SEEDS = [1, 2, 3, 42, 20260611];

async function outputsOf(name: string, seed: number | undefined): Promise<Record<string, string>> {
  listing.state.seed = seed;
  try {
    const result = await analyze({ dir: fixture(name) });
    return {
      json: CHECK_FORMATS.json!(result, { color: false }),
      stylish: CHECK_FORMATS.stylish!(result, { color: false }),
      sarif: CHECK_FORMATS.sarif!(result, { color: false }),
      mermaid: (await GRAPH_FORMATS.mermaid!(result, { color: false, view: 'events' })).text,
      'mermaid --view flows': (await GRAPH_FORMATS.mermaid!(result, { color: false, view: 'flows' })).text,
    };
  } finally {
    listing.state.seed = undefined;
  }
}

describe.each(['shop', 'mixed-monorepo', 'saga-order-flow'])('fixture %s: the same output whatever order directories list in', (name) => {
  it(`json, stylish, sarif and mermaid are byte-identical under seeds ${SEEDS.join(', ')}`, async () => {
    const natural = await outputsOf(name, undefined);
    expect(JSON.parse(natural.json!).findings.length).toBeGreaterThan(0);
    for (const seed of SEEDS) {
      const reorderedBefore = listing.state.reordered;
      const shuffled = await outputsOf(name, seed);
      // The listings were really reordered: the walk went through the mock.
      expect(listing.state.reordered - reorderedBefore, `seed ${seed}`).toBeGreaterThan(0);
      for (const format of Object.keys(natural)) expect(shuffled[format], `${format}, seed ${seed}`).toBe(natural[format]);
    }
  }, 30_000);
});

describe.each(['shop', 'mixed-monorepo', 'saga-order-flow', 'asyncapi-drift', 'kafkajs-topic-dispatch', 'amqplib-topic'])(
  'fixture %s: the topology and the rules do not depend on the order of their input',
  (name) => {
    it(`the same topology and findings with the lists of declarations, routes, handlers and services shuffled (seeds ${SEEDS.join(', ')})`, async () => {
      const result = await analyze({ dir: fixture(name) });
      const { rules } = configureRules({});
      const check = (input: TopologyInput) => {
        const topology = buildTopology(input);
        return JSON.stringify({ topology: topology.toDocument(), findings: runRules(topology, rules).findings });
      };
      const natural = check(result);
      expect(JSON.parse(natural).findings.length).toBeGreaterThan(0);
      for (const seed of SEEDS) {
        const shuffle = seededShuffle(seed);
        const input: TopologyInput = {
          services: shuffle(result.services),
          declarations: shuffle(result.declarations),
          routes: shuffle(result.routes),
          handlers: shuffle(result.handlers),
        };
        expect(check(input), `seed ${seed}`).toBe(natural);
      }
    }, 30_000);
  },
);

function seededShuffle(seed: number): <T>(items: readonly T[]) => T[] {
  let state = seed;
  const next = () => {
    state = (Math.imul(state, 1103515245) + 12345) >>> 0;
    return state / 4294967296;
  };
  return (items) => {
    const shuffled = [...items];
    for (let i = shuffled.length - 1; i > 0; i--) {
      const j = Math.floor(next() * (i + 1));
      [shuffled[i], shuffled[j]] = [shuffled[j]!, shuffled[i]!];
    }
    return shuffled;
  };
}
