import { describe, expect, it } from 'vitest';
import { attribute, renderJunit, text } from '../../src/report/junit.js';
import { analyzeFixture } from '../helpers.js';
import { cleanResult, expectGolden, expectSameExitCodes, handMadeResult, limitedResult, NASTY, reversed } from './support.js';

interface XmlElement {
  name: string;
  attributes: Record<string, string>;
  children: XmlElement[];
  text: string;
}

/**
 * A strict reader for the XML subset the format writes (declaration, elements, double-quoted
 * attributes, text, the five predefined entities and numeric references): it throws on anything
 * else, on mismatched tags, and on characters XML 1.0 cannot hold.
 */
function parseXml(xml: string): XmlElement {
  const declaration = '<?xml version="1.0" encoding="UTF-8"?>\n';
  if (!xml.startsWith(declaration)) throw new Error('no XML declaration');
  // eslint-disable-next-line no-control-regex -- exactly what XML 1.0 forbids
  if (/[\u0000-\u0008\u000B\u000C\u000E-\u001F\uFFFE\uFFFF]/.test(xml)) throw new Error('a character XML cannot hold');
  const entities: Record<string, string> = { amp: '&', lt: '<', gt: '>', quot: '"', apos: "'" };
  const decode = (raw: string) => {
    if (/[<]/.test(raw)) throw new Error(`raw < in ${raw}`);
    return raw.replace(/&([^;]*);?/g, (whole, name: string) => {
      if (!whole.endsWith(';')) throw new Error(`bare & in ${raw}`);
      if (name.startsWith('#')) return String.fromCodePoint(Number(name.slice(1)));
      if (!(name in entities)) throw new Error(`unknown entity &${name};`);
      return entities[name]!;
    });
  };
  const root: XmlElement = { name: '#document', attributes: {}, children: [], text: '' };
  const stack = [root];
  const token = /<\/([\w.-]+)>|<([\w.-]+)((?:\s+[\w.-]+="[^"]*")*)\s*(\/?)>|([^<]+)/gy;
  let position = declaration.length;
  token.lastIndex = position;
  for (let match = token.exec(xml); match; match = token.exec(xml)) {
    position = token.lastIndex;
    const [, close, open, attributes, selfClosing, chars] = match;
    const current = stack.at(-1)!;
    if (close) {
      if (current.name !== close) throw new Error(`</${close}> closes <${current.name}>`);
      stack.pop();
    } else if (open) {
      const element: XmlElement = { name: open, attributes: {}, children: [], text: '' };
      for (const [, key, value] of attributes!.matchAll(/([\w.-]+)="([^"]*)"/g)) {
        if (key! in element.attributes) throw new Error(`duplicate attribute ${key}`);
        element.attributes[key!] = decode(value!);
      }
      current.children.push(element);
      if (!selfClosing) stack.push(element);
    } else {
      if (current === root && chars!.trim() !== '') throw new Error('text outside the root element');
      current.text += decode(chars!);
    }
  }
  if (position !== xml.length) throw new Error(`cannot read the XML at ${position}: ${xml.slice(position, position + 40)}`);
  if (stack.length !== 1 || root.children.length !== 1) throw new Error('unbalanced document');
  return root.children[0]!;
}

describe('junit format', async () => {
  const shop = await analyzeFixture('shop');
  const syntaxError = await analyzeFixture('syntax-error');

  it('renders the shop example (golden)', () => {
    expectGolden('shop.expected.junit.xml', renderJunit(shop));
  });

  it('lists diagnostics as skipped test cases (golden)', () => {
    const output = renderJunit(syntaxError);
    expectGolden('syntax-error.expected.junit.xml', output);
    const diagnostics = parseXml(output).children.find((suite) => suite.attributes.name === 'diagnostics')!;
    expect(diagnostics.attributes).toEqual({ name: 'diagnostics', tests: '1', failures: '0', errors: '0', skipped: '1' });
    expect(diagnostics.children[0]!.attributes.name).toBe('src/reminders.ts:8:103');
    expect(diagnostics.children[0]!.children[0]).toMatchObject({ name: 'skipped', attributes: { message: "parse-error: syntax error: ',' expected." } });
  });

  it('has one suite per rule and one failing test case per finding, with consistent counts', () => {
    const suites = parseXml(renderJunit(shop));
    expect(suites.attributes).toEqual({ name: 'choreolint', tests: '8', failures: '8', errors: '0', skipped: '0' });
    expect(suites.children.map((suite) => [suite.attributes.name, suite.attributes.tests, suite.attributes.failures])).toEqual([
      ['event-cycle', '1', '1'],
      ['non-idempotent-handler', '4', '4'],
      ['orphan-event', '2', '2'],
      ['service-cycle', '1', '1'],
    ]);
    const cycle = suites.children[0]!.children[0]!;
    expect(cycle.attributes).toEqual({
      classname: 'choreolint.event-cycle',
      name: 'services/inventory/src/inventory.consumer.ts:28:13',
      file: 'services/inventory/src/inventory.consumer.ts',
    });
    const failure = cycle.children[0]!;
    expect(failure.attributes.type).toBe('error');
    expect(failure.attributes.message).toBe(shop.findings.find((finding) => finding.ruleId === 'event-cycle')!.message);
    expect(failure.text.split('\n').slice(1)).toEqual([
      '  at services/inventory/src/inventory.consumer.ts:28:13',
      '  ↳ services/order/src/main.ts:26:9  shop.inventory.reservation-failed is handled by start/eachMessage@28 (order-service)',
      '  ↳ services/order/src/order-events.publisher.ts:9:11  which publishes shop.order.placed via OrderService.retry → OrderEventsPublisher.orderPlaced',
      '  ↳ services/payment/src/main.ts:15:9  shop.order.placed is handled by bootstrap/eachMessage@17 (payment-service)',
      '  ↳ services/payment/src/payment.events.ts:9:11  which publishes shop.payment.completed via PaymentHandler.handle → PaymentEvents.completed',
      '  ↳ services/inventory/src/inventory.consumer.ts:17:11  shop.payment.completed is handled by InventoryConsumer.onPaymentCompleted (inventory-service)',
      '  ↳ services/inventory/src/inventory.consumer.ts:28:13  which publishes shop.inventory.reservation-failed',
      '  docs: https://github.com/choreolint/choreolint/blob/main/docs/rules/event-cycle.md',
    ]);
    const warning = suites.children[1]!.children[0]!.children[0]!;
    expect(warning.attributes.type).toBe('warning');
  });

  it('escapes attributes and text so every character survives, and replaces what XML cannot hold', () => {
    expect(text('a < b && c > d\r')).toBe('a &lt; b &amp;&amp; c &gt; d&#13;');
    expect(attribute('"x" \'y\'\n\tz')).toBe('&quot;x&quot; &apos;y&apos;&#10;&#9;z');
    expect(text('bell\u0007 lone\uD800 pair\uD83D\uDE00')).toBe('bell\uFFFD lone\uFFFD pair\uD83D\uDE00');

    const result = handMadeResult();
    const suites = parseXml(renderJunit(result));
    const readable = (value: string) => value.replaceAll('\u0001', '\uFFFD');
    const cycle = suites.children.find((suite) => suite.attributes.name === 'event-cycle')!.children[0]!;
    expect(cycle.attributes.name).toBe('src/we ird,dir/a:b%c#d.ts:3:5');
    expect(cycle.attributes.file).toBe('src/we ird,dir/a:b%c#d.ts');
    expect(cycle.children[0]!.attributes.message).toBe(readable(result.findings[0]!.message));
    expect(cycle.children[0]!.text).toContain(readable(NASTY));
    expect(cycle.children[0]!.text).toContain('  ↳ billing-repo:src/billing.ts:7:13  billing publishes it too');
    // A finding in another repository names it; there is no file of this checkout to point at.
    const merged = suites.children.find((suite) => suite.attributes.name === 'orphan-event')!.children[0]!;
    expect(merged.attributes).toEqual({ classname: 'choreolint.orphan-event', name: 'billing-repo:src/billing.ts:9:2' });
    const diagnostics = suites.children.find((suite) => suite.attributes.name === 'diagnostics')!;
    expect(diagnostics.children.map((testcase) => testcase.attributes.name)).toEqual(['(project)', 'src/we ird,dir/a:b%c#d.ts:4:2']);
    expect(diagnostics.children[1]!.children[0]!.attributes.message).toBe(readable(`parse-error: ${result.diagnostics[0]!.message}`));
  });

  it('gives a clean run one passing test case, so the CI shows that the check ran', () => {
    const output = renderJunit(cleanResult());
    const suites = parseXml(output);
    expect(suites.attributes).toMatchObject({ tests: '1', failures: '0', skipped: '0' });
    expect(suites.children).toHaveLength(1);
    expect(suites.children[0]!.children).toEqual([
      { name: 'testcase', attributes: { classname: 'choreolint', name: 'no problems: 2 declarations, 1 event, 1 handler in 1 service (2 files)' }, children: [], text: '' },
    ]);
  });

  it('is deterministic: no timestamps or durations, and no dependence on input order', () => {
    const output = renderJunit(shop);
    expect(output).not.toMatch(/timestamp=|time=|hostname=/);
    expect(renderJunit(reversed(shop))).toBe(output);
  });

  it('lists stale baseline entries as failures of a baseline suite', () => {
    const suites = parseXml(renderJunit(limitedResult()));
    expect(suites.attributes).toEqual({ name: 'choreolint', tests: '5', failures: '3', errors: '0', skipped: '2' });
    const baseline = suites.children.at(-1)!;
    expect(baseline.attributes).toEqual({ name: 'baseline', tests: '1', failures: '1', errors: '0', skipped: '0' });
    expect(baseline.children[0]!.attributes).toEqual({ classname: 'choreolint.baseline', name: 'orphan-event aaaaaaaaaaaaaaaa', file: '.choreolint-baseline.json' });
    expect(baseline.children[0]!.children[0]!.attributes).toEqual({ type: 'warning', message: 'stale baseline entry: orphan-event at src/old.ts: old.done, stale: 100%\nnext' });
  });

  it('has the exit code of every other format (CLI from dist/)', () => {
    const { shop: stdout } = expectSameExitCodes('junit');
    expect(stdout).toBe(renderJunit(shop));
  });
});
