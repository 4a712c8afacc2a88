import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { VERSION } from '../src/version.js';
import { fixture, runCli, schemaErrors } from './helpers.js';

const scratch = mkdtempSync(path.join(tmpdir(), 'choreolint-cli-'));
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

describe('choreolint check', () => {
  it('exits 1 on the shop example and prints the cycle with every hop', () => {
    const run = runCli(['check', fixture('shop')]);
    expect(run.status).toBe(1);
    expect(run.stderr).toBe('');
    expect(run.stdout).toContain(
      '28:13  error    Event cycle (3 events): shop.inventory.reservation-failed → shop.order.placed → shop.payment.completed → shop.inventory.reservation-failed  event-cycle',
    );
    expect(run.stdout).toContain('↳ services/order/src/order-events.publisher.ts:9:11  which publishes shop.order.placed via OrderService.retry → OrderEventsPublisher.orderPlaced');
    expect(run.stdout).toContain('✖ 8 problems (1 error, 7 warnings)');
  });

  it('exits 0 on the same system without the closing edge: warnings only', () => {
    const run = runCli(['check', fixture('shop-acyclic')]);
    expect(run.status).toBe(0);
    expect(run.stdout.split('\n').slice(-3)).toEqual(['✖ 7 problems (0 errors, 7 warnings)', '  14 declarations, 8 events, 6 handlers in 3 services (15 files)', '']);
  });

  it('prints a one-line summary when there is nothing to report', () => {
    const run = runCli(['check', fixture('eventemitter')]);
    expect(run.status).toBe(0);
    expect(run.stdout).toBe('✔ no problems: 6 declarations, 3 events, 3 handlers in 1 service (3 files)\n');
  });

  it('prints the result document with --format json, valid against its schema, same exit code', () => {
    const run = runCli(['check', fixture('shop'), '--format', 'json']);
    expect(run.status).toBe(1);
    const document = JSON.parse(run.stdout);
    expect(schemaErrors(document)).toEqual([]);
    expect(document.findings.map((f: { ruleId: string }) => f.ruleId)).toEqual([
      'non-idempotent-handler',
      'event-cycle',
      'non-idempotent-handler',
      'non-idempotent-handler',
      'non-idempotent-handler',
      'orphan-event',
      'service-cycle',
      'orphan-event',
    ]);
  });

  it('analyzes the current directory by default, with paths relative to it', () => {
    const run = runCli(['check', '--format', 'json'], { cwd: fixture('shop-acyclic') });
    expect(run.status).toBe(0);
    expect(JSON.parse(run.stdout).declarations[0].file).toBe('services/inventory/src/inventory.consumer.ts');
  });

  it('gives byte-identical output on a second run', () => {
    const first = runCli(['check', fixture('shop'), '--format', 'json']);
    const second = runCli(['check', fixture('shop'), '--format', 'json']);
    expect(second.stdout).toBe(first.stdout);
  });

  it('writes --output atomically and prints nothing', () => {
    const output = path.join(scratch, 'result.json');
    writeFileSync(output, 'previous');
    const run = runCli(['check', fixture('shop-acyclic'), '--format', 'json', '--output', output]);
    expect(run.status).toBe(0);
    expect(run.stdout).toBe('');
    expect(JSON.parse(readFileSync(output, 'utf8')).stats.declarations).toBe(14);
  });

  it('reports a file with a syntax error as a diagnostic and goes on', () => {
    const run = runCli(['check', fixture('syntax-error')]);
    expect(run.status).toBe(0);
    expect(run.stdout).toContain("  8:103  warning  syntax error: ',' expected.  parse-error");
    expect(run.stdout).toContain('3 declarations, 2 events, 1 handler in 1 service (2 files)');
  });
});

describe('exit code 2: broken config and invocation, one line, no stack trace', () => {
  it('names the config file, line and column of an invalid value', () => {
    const run = runCli(['check', fixture('config-invalid')]);
    expect(run.status).toBe(2);
    expect(run.stdout).toBe('');
    expect(run.stderr).toBe('choreolint: fixtures/config-invalid/choreolint.yaml:4:16: rules.event-cycle: must be one of "off", "warn", "error"\n');
  });

  it('suggests the nearest rule id for an unknown one', () => {
    const config = path.join(scratch, 'unknown-rule.yaml');
    writeFileSync(config, 'rules:\n  event-cycles: warn\n');
    const run = runCli(['check', fixture('shop'), '--config', config]);
    expect(run.status).toBe(2);
    expect(run.stderr).toBe(`choreolint: ${path.relative(process.cwd(), config)}:2:3: rules: unknown rule "event-cycles" (did you mean "event-cycle"?)\n`);
  });

  it('refuses a --config that does not exist', () => {
    const run = runCli(['check', fixture('shop'), '--config', 'missing.yaml']);
    expect(run.status).toBe(2);
    expect(run.stderr).toBe('choreolint: missing.yaml: config file not found\n');
  });

  it('refuses a directory that does not exist', () => {
    const run = runCli(['check', 'no/such/dir']);
    expect(run.status).toBe(2);
    expect(run.stderr).toBe('choreolint: no/such/dir: no such file or directory\n');
  });

  it('refuses an unknown format', () => {
    const run = runCli(['check', fixture('shop'), '--format', 'xml']);
    expect(run.status).toBe(2);
    expect(run.stderr).toContain("error: option '-f, --format <format>' argument 'xml' is invalid. Allowed choices are stylish, json");
  });
});

describe('choreolint graph, --help, --version', () => {
  it('draws the topology as Mermaid', () => {
    const run = runCli(['graph', fixture('shop-acyclic'), '--view', 'services']);
    expect(run.status).toBe(0);
    expect(run.stdout).toBe(
      [
        'flowchart LR',
        '  s_inventory_service["inventory-service"]',
        '  s_order_service["order-service"]',
        '  s_payment_service["payment-service"]',
        '  s_inventory_service -->|"shop.inventory.reservation-failed, shop.inventory.reserved"| s_order_service',
        '  s_order_service -->|"shop.order.cancelled, shop.order.placed"| s_payment_service',
        '  s_payment_service -->|"shop.payment.completed"| s_inventory_service',
        '  s_payment_service -->|"shop.payment.failed"| s_order_service',
        '  subgraph legend["Legend"]',
        '    direction TB',
        '    legend_serviceCycle["service cycle (service-cycle)"]',
        '  end',
        '  classDef serviceCycle stroke:#d62728,stroke-width:2px,stroke-dasharray:5 3',
        '  class s_order_service,s_payment_service,legend_serviceCycle serviceCycle',
        '  linkStyle 1,3 stroke:#d62728,stroke-width:2px,stroke-dasharray:5 3',
        '',
      ].join('\n'),
    );
  });

  it('exits 0 for graph even when the topology has findings', () => {
    expect(runCli(['graph', fixture('shop')]).status).toBe(0);
  });

  it('prints the version and help', () => {
    expect(runCli(['--version'])).toEqual({ status: 0, stdout: `${VERSION}\n`, stderr: '' });
    const help = runCli(['check', '--help']);
    expect(help.status).toBe(0);
    expect(help.stdout).toContain('Usage: choreolint check [options] [paths...]');
  });
});

describe('choreolint explain', () => {
  it('prints a rule’s doc page', () => {
    const run = runCli(['explain', 'linear-chain']);
    expect(run.status).toBe(0);
    expect(run.stdout.split('\n').slice(0, 3)).toEqual(['# linear-chain', '', 'A path of events where each one has a single producer and a single consumer that publishes a single event: a distributed call chain in disguise.']);
  });

  it('lists the rules without an argument, and suggests the nearest id for a typo', () => {
    expect(runCli(['explain']).stdout.split('\n')[0]).toBe(
      'event-cycle             error  Events that cause themselves again through the handlers they trigger: a cycle in the event-flow graph.',
    );
    expect(runCli(['explain', 'orphan'])).toMatchObject({ status: 2, stderr: 'choreolint: unknown rule "orphan" (did you mean "orphan-event"?); run "choreolint explain" for the list\n' });
  });
});

describe('choreolint check --with', () => {
  it('merges the result document of another repository and finds the cycle across both', () => {
    const billing = path.join(scratch, 'billing.json');
    expect(runCli(['check', fixture('multi-repo-billing'), '--format', 'json', '--output', billing]).status).toBe(0);
    const run = runCli(['check', fixture('multi-repo-orders'), '--with', billing]);
    expect(run.status).toBe(1);
    expect(run.stdout).toContain('  7:13  error    Event cycle (ping-pong): billing.invoiced → orders.placed → billing.invoiced  event-cycle');
    expect(run.stdout.startsWith('billing-repo:src/billing.ts\n')).toBe(true);
  });

  it('refuses a file that is not a result document', () => {
    const bad = path.join(scratch, 'bad.json');
    writeFileSync(bad, JSON.stringify({ version: 1, findings: [] }));
    const run = runCli(['check', fixture('multi-repo-orders'), '--with', bad]);
    expect(run.status).toBe(2);
    expect(run.stderr).toBe(`choreolint: ${bad}: not a choreolint result document: (root) must have required property 'tool'\n`);
  });
});
