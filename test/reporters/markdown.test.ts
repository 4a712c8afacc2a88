import { describe, expect, it } from 'vitest';
import type { Finding, Result } from '../../src/model/result.js';
import { code, inline, label, MAX_DIAGRAM_NODES, MAX_TABLE_ROWS, renderMarkdown } from '../../src/report/markdown.js';
import { analyzeFixture } from '../helpers.js';
import { cleanResult, expectGolden, expectSameExitCodes, handMadeResult, limitedResult, reversed } from './support.js';

/** The cells of a table row, split at the pipes that are not escaped. */
const cells = (row: string) => row.slice(2, -2).split(/(?<!\\) \| /);

/** The Mermaid block of a report, if any. */
const mermaid = (markdown: string) => /```mermaid\n([\s\S]*?)```/.exec(markdown)?.[1];

/** The node lines of a Mermaid flowchart: `id["label"]` or `id(["label"])`. */
const nodes = (diagram: string) => diagram.split('\n').filter((line) => /^ {2}[se]\d+(\[|\(\[)/.test(line));

/** A result whose findings touch `count` events, one orphan each, all warnings except the last. */
function manyOrphans(count: number): Result {
  const base = handMadeResult();
  const names = Array.from({ length: count }, (_, index) => `topic.${String(index).padStart(2, '0')}`);
  const findings: Finding[] = names.map((name, index) => ({
    ruleId: 'orphan-event',
    severity: index === count - 1 ? 'error' : 'warn',
    message: `${name} is published but nothing consumes it`,
    location: { file: 'src/topics.ts', line: index + 1, column: 1 },
    related: [],
    fingerprint: index.toString(16).padStart(16, '0'),
    docs: 'https://github.com/choreolint/choreolint/blob/main/docs/rules/orphan-event.md',
    data: { event: name },
  }));
  return {
    ...base,
    topology: { ...base.topology, events: names.map((name) => ({ id: name, name, transports: ['kafka'], publishers: [], subscribers: [] })) },
    findings,
    diagnostics: [],
  };
}

describe('markdown format', async () => {
  const shop = await analyzeFixture('shop');
  const syntaxError = await analyzeFixture('syntax-error');

  it('renders the shop example (golden)', () => {
    expectGolden('shop.expected.markdown.md', renderMarkdown(shop));
  });

  it('lists diagnostics in a collapsible block (golden)', () => {
    const output = renderMarkdown(syntaxError);
    expectGolden('syntax-error.expected.markdown.md', output);
    expect(output).toContain("<details>\n<summary>1 diagnostic: input that could not be fully analyzed</summary>\n\n- `src/reminders.ts:8:103` parse-error: syntax error: ',' expected.\n\n</details>");
  });

  it('has a heading, a one-line summary, and a table row per finding with the rule linked to its docs', () => {
    const lines = renderMarkdown(shop).split('\n');
    expect(lines.slice(0, 3)).toEqual(['## choreolint', '', '❌ **1 error**, ⚠️ **7 warnings** · 14 declarations, 8 events, 6 handlers in 3 services (15 files)']);
    const rows = lines.filter((line) => /^\| \d+ \|/.test(line));
    expect(rows).toHaveLength(shop.findings.length);
    for (const row of rows) expect(cells(row)).toHaveLength(5);
    expect(cells(rows[1]!)).toEqual([
      '2',
      '❌ error',
      '[event-cycle](https://github.com/choreolint/choreolint/blob/main/docs/rules/event-cycle.md)',
      '`services/inventory/src/inventory.consumer.ts:28:13`',
      'Event cycle (3 events): shop.inventory.reservation-failed → shop.order.placed → shop.payment.completed → shop.inventory.reservation-failed',
    ]);
  });

  it('puts the related locations in a <details> block, numbered like the table', () => {
    const output = renderMarkdown(shop);
    const details = /<details>\n<summary>Related locations \(6 findings\)<\/summary>\n([\s\S]*?)<\/details>/.exec(output)?.[1];
    expect(details).toBeDefined();
    expect(details).toContain(
      '**2.** event-cycle at `services/inventory/src/inventory.consumer.ts:28:13`\n\n- `services/order/src/main.ts:26:9` shop.inventory.reservation-failed is handled by start/eachMessage@28 (order-service)\n',
    );
    expect(details).not.toContain('**6.**');
  });

  it('draws the events and services the findings touch, the error cycle marked', () => {
    const diagram = mermaid(renderMarkdown(shop))!;
    expect(diagram.split('\n')[0]).toBe('flowchart LR');
    expect(diagram).toContain('  s1["order-service"]');
    expect(diagram).toContain('  e0(["shop.inventory.reservation-failed"])');
    // The cycle: reservation-failed → order-service → order.placed → payment-service → payment.completed → inventory-service → reservation-failed.
    for (const edge of ['e0 --> s1', 's1 --> e4', 'e4 --> s2', 's2 --> e5', 'e5 --> s0', 's0 --> e0']) expect(diagram).toContain(`  ${edge}\n`);
    expect(diagram).toContain('  class e0,e4,e5,s0,s1,s2 error\n');
  });

  it('draws only what the findings touch', () => {
    const result = handMadeResult();
    const unrelated = { id: 'audit.logged', name: 'audit.logged', transports: ['kafka'], publishers: [], subscribers: [] };
    const diagram = mermaid(renderMarkdown({ ...result, topology: { ...result.topology, events: [...result.topology.events, unrelated] } }))!;
    expect(nodes(diagram)).toEqual(['  s0["orders"]', '  e0(["order.placed"])']);
    expect(diagram).not.toContain('audit.logged');
  });

  it('caps the diagram, keeping the nodes of errors first, and says so', () => {
    const output = renderMarkdown(manyOrphans(MAX_DIAGRAM_NODES + 6));
    const diagram = mermaid(output)!;
    expect(nodes(diagram)).toHaveLength(MAX_DIAGRAM_NODES);
    expect(diagram).toContain(`topic.${MAX_DIAGRAM_NODES + 5}`);
    expect(diagram).not.toContain(`topic.${MAX_DIAGRAM_NODES + 4}`);
    expect(output).toContain(`_The diagram shows ${MAX_DIAGRAM_NODES} of the ${MAX_DIAGRAM_NODES + 6} events and services the findings touch, those of errors first._`);
    expect(renderMarkdown(manyOrphans(MAX_DIAGRAM_NODES))).not.toContain('The diagram shows');
  });

  it('lists at most MAX_TABLE_ROWS findings, errors first when cut, and says how many are left out', () => {
    const output = renderMarkdown(manyOrphans(MAX_TABLE_ROWS + 3));
    const rows = output.split('\n').filter((line) => /^\| \d+ \|/.test(line));
    expect(rows).toHaveLength(MAX_TABLE_ROWS);
    // The one error is the last finding in file order: it is kept, and the table stays in file order.
    expect(cells(rows.at(-1)!)[1]).toBe('❌ error');
    expect(cells(rows.at(-2)!)[3]).toBe(`\`src/topics.ts:${MAX_TABLE_ROWS - 1}:1\``);
    expect(output).toContain('_3 more findings (0 errors, 3 warnings) not listed: the other formats have them all._');
    expect(renderMarkdown(manyOrphans(MAX_TABLE_ROWS))).not.toContain('not listed');
  });

  it('escapes table cells, list items, code spans and diagram labels', () => {
    expect(inline('a | b\nc `d` *e* _f_ [g](h) <i> & ~j~ \\k')).toBe('a \\| b<br>c \\`d\\` \\*e\\* \\_f\\_ \\[g\\](h) \\<i\\> &amp; \\~j\\~ \\\\k');
    expect(code('a|b', true)).toBe('`a\\|b`');
    expect(code('a|b')).toBe('`a|b`');
    expect(code('x`y')).toBe('``x`y``');
    expect(code('`x')).toBe('`` `x ``');
    expect(label('say "hi" <b> #1 `x`\nnext')).toBe('say #quot;hi#quot; #lt;b#gt; #35;1 #96;x#96; next');

    const output = renderMarkdown(handMadeResult());
    const rows = output.split('\n').filter((line) => /^\| \d+ \|/.test(line));
    expect(rows).toHaveLength(2);
    for (const row of rows) expect(cells(row)).toHaveLength(5);
    expect(cells(rows[0]!)[3]).toBe('`src/we ird,dir/a:b%c#d.ts:3:5`');
    expect(cells(rows[0]!)[4]).toBe(
      'Event cycle (self-loop): order.placed → order.placed a 100% "quoted" \\<b\\>&amp;amp;\\</b\\> it\'s, colon: pipe \\| star \\* under\\_score \\`tick\\` \\[link\\](1) #hash \\~tilde\\\\back<br>second line\uFFFD',
    );
    expect(cells(rows[1]!)[3]).toBe('`billing-repo:src/billing.ts:9:2`');
    expect(output).not.toContain('\u0001');
  });

  it('says "No problems" without a table or diagram when clean, and does not depend on input order', () => {
    expect(renderMarkdown(cleanResult())).toBe('## choreolint\n\n✅ **No problems** · 2 declarations, 1 event, 1 handler in 1 service (2 files)\n');
    expect(renderMarkdown(reversed(shop))).toBe(renderMarkdown(shop));
  });

  it('says what limited the report, and lists stale baseline entries', () => {
    const output = renderMarkdown(limitedResult());
    expect(output.split('\n')[4]).toBe(
      '_only findings that touch 2 files (the whole topology was analyzed) · 3 known findings ignored (baseline .choreolint-baseline.json) · 1 baseline entry matches no finding any more (fixed or changed): run --update-baseline_',
    );
    expect(output).toContain(
      '<details>\n<summary>1 stale baseline entry in .choreolint-baseline.json: run <code>choreolint check --update-baseline</code></summary>\n\n- `src/old.ts` orphan-event: old.done, stale: 100%<br>next\n\n</details>',
    );
  });

  it('has the exit code of every other format (CLI from dist/)', () => {
    const { shop: stdout } = expectSameExitCodes('markdown');
    expect(stdout).toBe(renderMarkdown(shop));
  });
});
