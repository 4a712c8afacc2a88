import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import type { Result } from '../../src/model/result.js';
import { fixture, FIXTURES, runCli, schemaErrors } from '../helpers.js';
import { mermaidEdgeCount, syntheticResult } from './helpers.js';

const scratch = mkdtempSync(path.join(tmpdir(), 'choreolint-graph-'));
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

describe('choreolint graph: views and formats', () => {
  it('offers mermaid, dot, svg, json and html, and the three views', () => {
    const run = runCli(['graph', '--help']);
    expect(run.status).toBe(0);
    const help = { stdout: run.stdout.replace(/\s+/g, ' ') };
    expect(help.stdout).toContain('(choices: "mermaid", "dot", "svg", "json", "html", default: "mermaid")');
    expect(help.stdout).toContain('(choices: "events", "services", "flows", default: "events")');
    expect(help.stdout).toContain('--focus <event|service>');
    expect(help.stdout).toContain('--depth <n>');
    expect(help.stdout).toContain('--collapse <kinds>');
  });

  it('--format dot prints the DOT the SVG is laid out from', () => {
    const run = runCli(['graph', fixture('shop'), '--format', 'dot']);
    expect(run.status).toBe(0);
    expect(run.stdout).toBe(readFileSync(path.join(FIXTURES, 'shop.expected.events.dot'), 'utf8'));
  });

  it('--format json prints the diagram: nodes, edges, findings with what they touch', () => {
    const run = runCli(['graph', fixture('shop'), '--format', 'json', '--view', 'services']);
    expect(run.status).toBe(0);
    expect(run.stdout).toBe(readFileSync(path.join(FIXTURES, 'shop.expected.services.json'), 'utf8'));
  });

  it('--focus, --depth and --collapse on the command line', () => {
    const focus = runCli(['graph', fixture('saga-order-flow'), '--view', 'flows', '--focus', 'PaymentDeclined', '--depth', '1']);
    expect(focus.status).toBe(0);
    expect(focus.stdout.split('\n').slice(0, 5)).toEqual([
      'flowchart LR',
      '  %% focus: PaymentDeclined, depth 1: 3 of 15 nodes',
      '  h_order_service_startOrderService_eachMessage_15[/"order-service<br/>startOrderService/eachMessage@15"/]',
      '  h_payment_service_PaymentsConsumer_start_eachMessage_17[/"payment-service<br/>PaymentsConsumer.start/eachMessage@17"/]',
      '  e_PaymentDeclined(["PaymentDeclined"])',
    ]);
    const collapse = runCli(['graph', fixture('saga-order-flow'), '--collapse', 'folder,domain']);
    expect(collapse.status).toBe(0);
    expect(collapse.stdout).toContain('  %% collapsed by folder: 5 services into 1 group\n  %% collapsed by domain: 8 events into 3 groups\n');
    const repeated = runCli(['graph', fixture('saga-order-flow'), '--collapse', 'domain', '--collapse', 'folder']);
    expect(repeated.stdout).toBe(collapse.stdout);
    const labels = runCli(['graph', fixture('saga-order-flow'), '--view', 'services', '--collapse', 'domain']);
    expect(labels.stdout).toContain('  s_order_service -->|"Order.*"| s_payment_service\n');
    expect(labels.stdout).toContain('  s_inventory_service -->|"StockReserved"| s_shipping_service\n');
  });

  it('exits 2 on a focus that names nothing, with the nearest names, and on bad --depth or --collapse', () => {
    const focus = runCli(['graph', fixture('saga-order-flow'), '--focus', 'PaymentDecline']);
    expect(focus.status).toBe(2);
    expect(focus.stderr).toBe('choreolint: --focus PaymentDecline: no event or service by that name (did you mean "PaymentDeclined"?)\n');
    const depth = runCli(['graph', fixture('shop'), '--focus', 'shop.order.placed', '--depth', '-1']);
    expect(depth.status).toBe(2);
    expect(depth.stderr).toBe('choreolint: --depth needs a whole number ≥ 0\n');
    expect(runCli(['graph', fixture('shop'), '--depth', '1']).stderr).toBe('choreolint: --depth needs --focus <event|service>\n');
    const collapse = runCli(['graph', fixture('shop'), '--collapse', 'team']);
    expect(collapse.status).toBe(2);
    expect(collapse.stderr).toBe('choreolint: --collapse team: expected folder or domain\n');
  });

  it('a topology over Mermaid’s limits: a comment line in the output and the same note on stderr', () => {
    const services = Array.from({ length: 400 }, (_, i) => ({ name: `svc-${i}`, path: `area${i % 4}/svc-${i}` }));
    const big: Result = syntheticResult({
      services,
      events: Array.from({ length: 2000 }, (_, i) => ({ name: `domain${i % 20}.event-${i}`, publishers: [`svc-${i % 400}`], consumers: [`svc-${(i + 7) % 400}`] })),
    });
    expect(schemaErrors(big)).toEqual([]);
    const file = path.join(scratch, 'big.json');
    writeFileSync(file, JSON.stringify(big));
    const empty = path.join(scratch, 'empty');
    mkdirSync(empty);
    writeFileSync(path.join(empty, 'package.json'), '{"name":"empty"}');
    const run = runCli(['graph', empty, '--with', file]);
    expect(run.status).toBe(0);
    const note = /^choreolint: note: (.*)\n$/.exec(run.stderr)?.[1];
    expect(note).toMatch(/^\d+ edges and \d+ characters are over Mermaid's default limits \(maxEdges 500, maxTextSize 50000\): collapsed by folder and domain;/);
    expect(run.stdout).toContain(`  %% ${note}\n`);
    expect(run.stdout.length).toBeLessThanOrEqual(50_000);
    expect(mermaidEdgeCount(run.stdout)).toBeLessThanOrEqual(500);

    const output = path.join(scratch, 'big.html');
    const html = runCli(['graph', empty, '--with', file, '--format', 'html', '--output', output]);
    expect(html.status).toBe(0);
    expect(html.stderr).toMatch(/^choreolint: note: 2400 nodes and \d+ edges are over what the in-process Graphviz lays out in reasonable time \(1000 nodes, 2000 edges\): collapsed by folder and domain;/);
    expect(readFileSync(output, 'utf8')).toContain('collapsed by folder and domain; use --focus &#60;event|service&#62; for a part of it');
  }, 60_000);
});

describe('choreolint graph --format svg and html', () => {
  it('renders SVG inside the process (WebAssembly Graphviz), with the ids and classes of the diagram', () => {
    const run = runCli(['graph', fixture('shop'), '--format', 'svg']);
    expect(run.status).toBe(0);
    expect(run.stderr).toBe('');
    expect(run.stdout).toMatch(/^<\?xml/);
    expect(run.stdout.trimEnd()).toMatch(/<\/svg>$/);
    expect(run.stdout).toContain('<g id="e_shop_order_placed" class="node event cycle service&#45;cycle">');
    expect(run.stdout).toContain('<g id="s_order_service&#45;&#45;e_shop_order_placed" class="edge cycle service&#45;cycle">');
    expect(run.stdout).toContain('<g id="legend" class="cluster legend">');
    expect(runCli(['graph', fixture('shop'), '--format', 'svg']).stdout).toBe(run.stdout);
  });

  it('writes one self-contained HTML file: inline SVG, CSS and script, no URL but the findings’ docs links', () => {
    const output = path.join(scratch, 'shop.html');
    const run = runCli(['graph', fixture('shop'), '--format', 'html', '--output', output]);
    expect(run.status).toBe(0);
    expect(run.stdout).toBe('');
    const html = readFileSync(output, 'utf8');
    expect(html.startsWith('<!DOCTYPE html>')).toBe(true);
    expect(html).toContain('<svg width=');
    expect(html).toContain('<input id="search" type="search"');
    expect(html).toContain('<script type="application/json" id="choreolint-data">');
    expect(html).not.toMatch(/<script[^>]*\bsrc\s*=/i);
    expect(html).not.toMatch(/<link\b/i);
    expect(html).not.toMatch(/<img\b/i);
    expect(html).not.toMatch(/<iframe\b|<object\b|<embed\b/i);
    expect(html).not.toMatch(/@import|url\(/i);
    expect(html).not.toMatch(/xlink:href|xmlns/);
    // The only URLs are the docs links of the findings, rendered as links the user may click.
    const docs: string[] = JSON.parse(runCli(['check', fixture('shop'), '--format', 'json']).stdout).findings.map((finding: { docs: string }) => finding.docs);
    expect(docs.length).toBeGreaterThan(0);
    const links = [...html.matchAll(/<a class="docs" href="([^"]+)" target="_blank" rel="noopener noreferrer">docs<\/a>/g)].map((match) => match[1]);
    expect(links).toEqual(docs);
    let rest = html;
    for (const url of docs) rest = rest.split(url).join('');
    expect(rest).not.toMatch(/https?:\/\//);
    expect(rest).not.toMatch(/\/\/[a-z0-9.-]+\.[a-z]{2,}\//i);
  });

  it('the HTML page escapes what the topology names', () => {
    const result = syntheticResult({ services: [{ name: '<b>svc</b>', path: 's' }], events: [{ name: '</script><script>alert(1)</script>', publishers: ['<b>svc</b>'], consumers: [] }] });
    const file = path.join(scratch, 'evil.json');
    writeFileSync(file, JSON.stringify(result));
    const empty = path.join(scratch, 'empty2');
    mkdirSync(empty);
    const run = runCli(['graph', empty, '--with', file, '--format', 'html']);
    expect(run.status).toBe(0);
    expect(run.stdout).not.toContain('<script>alert(1)');
    expect(run.stdout).not.toContain('<b>svc</b>');
    expect(run.stdout.match(/<script\b/g)).toHaveLength(2);
  });
});
