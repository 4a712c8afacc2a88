import { describe, expect, it } from 'vitest';
import { configureRules } from '../../src/check/configure.js';
import { findingsOf, type HandlerSpec } from './topology-builder.js';

const cycleOnly = (specs: HandlerSpec[], options?: Record<string, unknown>) =>
  findingsOf(specs, { 'event-cycle': options ? ['error', options] : 'error' });

describe('event-cycle', () => {
  describe('valid', () => {
    it.each<[string, HandlerSpec[]]>([
      ['a chain', [['payment', 'onOrder', 'order.placed', ['payment.done']], ['shipping', 'onPayment', 'payment.done', ['shipment.sent']]]],
      ['a fan-out and a join', [['a', 'h1', 'x', ['y', 'z']], ['b', 'h2', 'y', ['w']], ['c', 'h3', 'z', ['w']]]],
      ['a service cycle that is no event cycle', [['order', 'h1', 'order.placed', []], ['payment', 'h2', 'x', ['order.placed']], ['order', 'h3', 'y', ['x']]]],
    ])('%s', (_, specs) => {
      expect(cycleOnly(specs)).toEqual([]);
    });

    it('an intended loop listed in allow, with its reason', () => {
      const specs: HandlerSpec[] = [['jobs', 'retry', 'job.failed', ['job.retried']], ['jobs', 'run', 'job.retried', ['job.failed']]];
      expect(cycleOnly(specs, { allow: [{ events: ['job.failed', 'job.retried'], reason: 'bounded retry with backoff' }] })).toEqual([]);
    });
  });

  describe('invalid', () => {
    it('a self-loop', () => {
      const [finding, ...rest] = cycleOnly([['poller', 'poll', 'poll.tick', ['poll.tick']]]);
      expect(rest).toEqual([]);
      expect(finding).toMatchObject({
        ruleId: 'event-cycle',
        severity: 'error',
        message: 'Event cycle (self-loop): poll.tick → poll.tick',
        location: { file: 'poller/handlers.ts', line: 11, column: 1 },
        data: { kind: 'self-loop', cycle: ['poll.tick'], members: ['poll.tick'] },
      });
      expect(finding!.related).toEqual([
        { file: 'poller/handlers.ts', line: 10, column: 1, message: 'poll.tick is handled by poll (poller)' },
        { file: 'poller/handlers.ts', line: 11, column: 1, message: 'which publishes poll.tick' },
      ]);
    });

    it('a ping-pong, reported at the publish that closes it', () => {
      const findings = cycleOnly([['b', 'onA', 'a', ['b']], ['a', 'onB', 'b', ['a']]]);
      expect(findings.map((f) => [f.message, `${f.location.file}:${f.location.line}`])).toEqual([['Event cycle (ping-pong): a → b → a', 'a/handlers.ts:21']]);
    });

    it('one finding per strongly connected component, with its shortest loop', () => {
      const findings = cycleOnly([
        ['s1', 'h1', 'a', ['b']],
        ['s2', 'h2', 'b', ['c']],
        ['s3', 'h3', 'c', ['a', 'd']],
        ['s4', 'h4', 'd', ['b']],
        ['s5', 'h5', 'x', ['y']],
        ['s6', 'h6', 'y', ['x']],
      ]);
      expect(findings.map((f) => f.message)).toEqual([
        'Event cycle (3 events): a → b → c → a; 4 events are in this cycle, the shortest loop is shown',
        'Event cycle (ping-pong): x → y → x',
      ]);
    });

    it('keeps its fingerprint when lines move and the loop is entered elsewhere', () => {
      const [before] = cycleOnly([['b', 'onA', 'a', ['b']], ['a', 'onB', 'b', ['a']]]);
      const [after] = cycleOnly([['b', 'onA', 'a', ['b']], ['z', 'unrelated', 'q', []], ['a', 'onB', 'b', ['a']]]);
      expect(after!.location).not.toEqual(before!.location);
      expect(after!.fingerprint).toBe(before!.fingerprint);
    });

    it('an allow entry that covers only part of a component does not hide it', () => {
      const specs: HandlerSpec[] = [['s', 'h1', 'a', ['b']], ['s', 'h2', 'b', ['c']], ['s', 'h3', 'c', ['a']]];
      expect(cycleOnly(specs, { allow: [{ events: ['a', 'b'], reason: 'retry' }] })).toHaveLength(1);
    });

    it('stays fast on a dense component: 2,000 events on a ring with chords', () => {
      const size = 2_000;
      const events = Array.from({ length: size }, (_, i) => `e${String(i).padStart(4, '0')}`);
      const specs: HandlerSpec[] = events.map((event, i) => [
        'svc',
        `h${i}`,
        event,
        [events[(i + 1) % size]!, events[(i * 37 + 11) % size]!, events[(i * 101 + 7) % size]!],
      ]);
      const started = performance.now();
      const findings = cycleOnly(specs);
      expect(findings).toHaveLength(1);
      expect((findings[0]!.data as { members: string[] }).members).toHaveLength(size);
      expect(performance.now() - started).toBeLessThan(10_000);
    });
  });

  describe('options', () => {
    it('requires a reason for every allowed loop', () => {
      expect(configureRules({ 'event-cycle': ['error', { allow: [{ events: ['a'] }] }] }).problems).toEqual([
        { path: ['rules', 'event-cycle', 1, 'allow', 0], at: 'value', message: "rules.event-cycle: option allow.0 must have required property 'reason'" },
      ]);
    });

    it('rejects unknown options, suggesting the nearest, also inside a list', () => {
      expect(configureRules({ 'event-cycle': ['error', { allow: [{ events: ['a'], reason: 'a bounded retry', evnts: ['b'] }] }] }).problems[0]?.message).toBe(
        'rules.event-cycle: unknown option "evnts" (did you mean "events"?)',
      );
      expect(configureRules({ 'event-cycle': ['error', { allowed: [] }] }).problems).toEqual([
        { path: ['rules', 'event-cycle', 1, 'allowed'], at: 'key', message: 'rules.event-cycle: unknown option "allowed" (did you mean "allow"?)' },
      ]);
    });
  });
});
