import { describe, expect, it } from 'vitest';
import { renderCompact } from '../../src/report/compact.js';
import { analyzeFixture } from '../helpers.js';
import { cleanResult, documentedLines, expectGolden, expectSameExitCodes, handMadeResult, limitedResult, NASTY, reversed } from './support.js';

describe('compact format', async () => {
  const shop = await analyzeFixture('shop');
  const syntaxError = await analyzeFixture('syntax-error');

  it('renders the shop example (golden)', () => {
    expectGolden('shop.expected.compact.txt', renderCompact(shop));
  });

  it('lists diagnostics as warnings with their code (golden)', () => {
    const output = renderCompact(syntaxError);
    expectGolden('syntax-error.expected.compact.txt', output);
    expect(output).toContain("src/reminders.ts:8:103: warning syntax error: ',' expected. [parse-error]\n");
  });

  it('is one line per finding in ESLint compact shape, then a summary line', () => {
    const lines = renderCompact(shop).trimEnd().split('\n');
    expect(lines).toHaveLength(shop.findings.length + 1);
    for (const line of lines.slice(0, -1)) expect(line).toMatch(/^[^\s:]+:\d+:\d+: (error|warning) .+ \[[a-z-]+\]$/);
    expect(lines).toContain(
      'services/inventory/src/inventory.consumer.ts:28:13: error Event cycle (3 events): shop.inventory.reservation-failed → shop.order.placed → shop.payment.completed → shop.inventory.reservation-failed [event-cycle]',
    );
    expect(lines.at(-1)).toBe('8 problems (1 error, 7 warnings): 14 declarations, 8 events, 6 handlers in 3 services (15 files)');
  });

  it('keeps each entry on one line, prefixes merged locations with their repository, and says where a diagnostic has no file', () => {
    const output = renderCompact(handMadeResult());
    const lines = output.trimEnd().split('\n');
    expect(lines).toHaveLength(2 + 2 + 1);
    expect(lines[0]).toBe(`src/we ird,dir/a:b%c#d.ts:3:5: error Event cycle (self-loop): order.placed → order.placed ${NASTY.replace('\r\n', ' ')} [event-cycle]`);
    expect(lines[1]).toBe('billing-repo:src/billing.ts:9:2: warning billing.done is published but nothing consumes it [orphan-event]');
    expect(lines[2]).toBe('(project): warning package.json: unexpected token [manifest-error]');
    expect(lines[3]).toMatch(/^src\/we ird,dir\/a:b%c#d\.ts:4:2: warning syntax error: .* \[parse-error\]$/);
    expect(lines[4]).toBe('2 problems (1 error, 1 warning); 2 diagnostics: 2 declarations, 1 event, 1 handler in 1 service (2 files)');
  });

  it('says so when there is nothing to report, and does not depend on input order', () => {
    expect(renderCompact(cleanResult())).toBe('no problems: 2 declarations, 1 event, 1 handler in 1 service (2 files)\n');
    expect(renderCompact(reversed(shop))).toBe(renderCompact(shop));
    expect(renderCompact(reversed(handMadeResult()))).toBe(renderCompact(handMadeResult()));
  });

  it('prints what docs/formats.md shows', () => {
    const lines = renderCompact(shop).split('\n');
    for (const line of documentedLines('compact')) expect(lines).toContain(line);
  });

  it('reports the changed-files scope, ignored known findings and stale baseline entries', () => {
    const lines = renderCompact(limitedResult()).trimEnd().split('\n');
    expect(lines.at(-2)).toBe('.choreolint-baseline.json: warning stale baseline entry, no finding matches it any more: src/old.ts: old.done, stale: 100% next [orphan-event]');
    expect(lines.at(-1)).toBe(
      '2 problems (1 error, 1 warning); 2 diagnostics: 2 declarations, 1 event, 1 handler in 1 service (2 files); only findings that touch 2 files (the whole topology was analyzed); 3 known findings ignored (baseline .choreolint-baseline.json); 1 baseline entry matches no finding any more (fixed or changed): run --update-baseline',
    );
  });

  it('has the exit code of every other format (CLI from dist/)', () => {
    const { shop: stdout } = expectSameExitCodes('compact');
    expect(stdout).toBe(renderCompact(shop));
  });
});
