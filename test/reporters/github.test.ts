import { describe, expect, it } from 'vitest';
import { withPathPrefix } from '../../src/check/relocate.js';
import { workTreePrefix } from '../../src/discover/git.js';
import { command, escapeData, escapeProperty, renderGithub } from '../../src/report/github.js';
import { analyzeFixture, fixture } from '../helpers.js';
import { cleanResult, documentedLines, expectGolden, expectSameExitCodes, handMadeResult, limitedResult, reversed } from './support.js';

/** Undoes the escaping as the runner does (@actions/core's rules, in reverse). */
const unescape = (text: string) => text.replace(/%3A/g, ':').replace(/%2C/g, ',').replace(/%0D/g, '\r').replace(/%0A/g, '\n').replace(/%25/g, '%');

describe('github format (workflow commands)', async () => {
  const shop = await analyzeFixture('shop');
  const syntaxError = await analyzeFixture('syntax-error');

  it('renders the shop example (golden)', () => {
    expectGolden('shop.expected.github.txt', renderGithub(shop));
  });

  it('annotates diagnostics as warnings titled with their code (golden)', () => {
    const output = renderGithub(syntaxError);
    expectGolden('syntax-error.expected.github.txt', output);
    expect(output).toContain("::warning file=src/reminders.ts,line=8,col=103,title=parse-error::syntax error: ',' expected.\n");
  });

  it('writes one command per finding, error or warning, then a plain summary line', () => {
    const lines = renderGithub(shop).trimEnd().split('\n');
    expect(lines).toHaveLength(shop.findings.length + 1);
    expect(lines.filter((line) => line.startsWith('::error '))).toHaveLength(1);
    expect(lines.filter((line) => line.startsWith('::warning '))).toHaveLength(7);
    expect(lines).toContain(
      '::error file=services/inventory/src/inventory.consumer.ts,line=28,col=13,title=event-cycle::Event cycle (3 events): shop.inventory.reservation-failed → shop.order.placed → shop.payment.completed → shop.inventory.reservation-failed%0A  ↳ services/order/src/main.ts:26:9  shop.inventory.reservation-failed is handled by start/eachMessage@28 (order-service)%0A  ↳ services/order/src/order-events.publisher.ts:9:11  which publishes shop.order.placed via OrderService.retry → OrderEventsPublisher.orderPlaced%0A  ↳ services/payment/src/main.ts:15:9  shop.order.placed is handled by bootstrap/eachMessage@17 (payment-service)%0A  ↳ services/payment/src/payment.events.ts:9:11  which publishes shop.payment.completed via PaymentHandler.handle → PaymentEvents.completed%0A  ↳ services/inventory/src/inventory.consumer.ts:17:11  shop.payment.completed is handled by InventoryConsumer.onPaymentCompleted (inventory-service)%0A  ↳ services/inventory/src/inventory.consumer.ts:28:13  which publishes shop.inventory.reservation-failed',
    );
    expect(lines.at(-1)).toBe('choreolint: 8 problems (1 error, 7 warnings): 14 declarations, 8 events, 6 handlers in 3 services (15 files)');
  });

  it('escapes %, CR and LF in data, and also : and , in properties', () => {
    expect(escapeData('100% done\r\nnext: a,b')).toBe('100%25 done%0D%0Anext: a,b');
    expect(escapeProperty('a:b,c%d\ne')).toBe('a%3Ab%2Cc%25d%0Ae');
    expect(command('error', [['file', 'x,y:z.ts'], ['line', 3]], 'm%\n')).toBe('::error file=x%2Cy%3Az.ts,line=3::m%25%0A');
  });

  it('keeps every command on one line and round-trips file, title and message through the escaping', () => {
    const result = handMadeResult();
    const lines = renderGithub(result).trimEnd().split('\n');
    expect(lines).toHaveLength(2 + 2 + 1);
    const parsed = lines.slice(0, -1).map((line) => {
      const match = /^::(error|warning)(?: ([^:]*))?::(.*)$/.exec(line);
      expect(match, line).not.toBeNull();
      const properties = Object.fromEntries((match![2] ?? '').split(',').map((pair) => pair.split('=').map(unescape) as [string, string]));
      return { command: match![1], properties, message: unescape(match![3]!) };
    });
    const [cycle, merged, projectDiagnostic, fileDiagnostic] = parsed;
    expect(cycle!.command).toBe('error');
    expect(cycle!.properties).toEqual({ file: 'src/we ird,dir/a:b%c#d.ts', line: '3', col: '5', title: 'event-cycle' });
    expect(cycle!.message.split('\n')).toEqual([
      ...result.findings[0]!.message.split('\n'),
      ...result.findings[0]!.related[0]!.message.split('\n').map((line, index) => (index === 0 ? `  ↳ src/we ird,dir/a:b%c#d.ts:1:1  ${line}` : line)),
      '  ↳ billing-repo:src/billing.ts:7:13  billing publishes it too',
    ]);
    // Another repository's file is not in this checkout: no file property, the location leads the message.
    expect(merged).toEqual({
      command: 'warning',
      properties: { title: 'orphan-event' },
      message: 'billing-repo:src/billing.ts:9:2: billing.done is published but nothing consumes it',
    });
    expect(projectDiagnostic).toEqual({ command: 'warning', properties: { title: 'manifest-error' }, message: 'package.json: unexpected token' });
    expect(fileDiagnostic!.properties).toEqual({ file: 'src/we ird,dir/a:b%c#d.ts', line: '4', col: '2', title: 'parse-error' });
    expect(fileDiagnostic!.message).toBe(result.diagnostics[0]!.message);
  });

  it('prints only the summary when clean, and does not depend on input order', () => {
    expect(renderGithub(cleanResult())).toBe('choreolint: no problems: 2 declarations, 1 event, 1 handler in 1 service (2 files)\n');
    expect(renderGithub(reversed(shop))).toBe(renderGithub(shop));
  });

  it('prints what docs/formats.md shows', () => {
    const lines = renderGithub(shop).split('\n');
    for (const line of documentedLines('github')) expect(lines).toContain(line);
  });

  it('annotates stale baseline entries on the baseline file, and says what limited the report', () => {
    const lines = renderGithub(limitedResult()).trimEnd().split('\n');
    expect(lines.at(-2)).toBe(
      '::warning file=.choreolint-baseline.json,title=stale baseline entry::orphan-event at src/old.ts: old.done, stale: 100%25%0Anext%0ANo finding matches this entry any more (fixed, or changed): run choreolint check --update-baseline.',
    );
    expect(lines.at(-1)).toContain('; only findings that touch 2 files (the whole topology was analyzed); 3 known findings ignored (baseline .choreolint-baseline.json); 1 baseline entry matches');
  });

  it('has the exit code of every other format (CLI from dist/)', () => {
    const { shop: stdout } = expectSameExitCodes('github');
    // The fixture lies in this repository's work tree: this format names files from its root.
    expect(stdout).toBe(renderGithub(withPathPrefix(shop, workTreePrefix(fixture('shop')) ?? '')));
  });
});
