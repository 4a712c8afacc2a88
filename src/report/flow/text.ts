import { plural } from '../diagram/build.js';
import { MAX_FLOW_DEPTH, type Flow, type FlowEvent, type FlowHandler } from './build.js';

export interface FlowTextOptions {
  color: boolean;
}

/**
 * The flow as an indented tree: events, the handlers (service: name) they trigger, what those
 * publish. `✗` a failure, `↩` a compensation, `↺ X (cycle)` an event already on the path,
 * `(see above)` one drawn earlier; then a one-line summary.
 * The tree is at most MAX_FLOW_DEPTH events deep, so the recursion here is bounded.
 */
export function renderFlowText(flow: Flow, options: FlowTextOptions): string {
  const paint = painter(options.color);
  const lines: string[] = [];
  const start = flow.start;
  const by = flow.publishers.length > 0 ? `published by ${flow.publishers.join(', ')}` : 'published by nothing in the topology';
  lines.push(`${paint.bold(start.name)}${kindTag(start, paint)} ${paint.dim(`(${by})`)}${eventSuffix(start, paint)}`);
  addHandlers(start.handlers, '', lines, paint);

  const { summary } = flow;
  const parts = [
    `${plural(summary.events, 'event')}, ${plural(summary.handlers, 'handler')} in ${plural(summary.services.length, 'service')}`,
    `${plural(summary.failures, 'failure event')}, ${plural(summary.compensations, 'compensation event')}`,
  ];
  if (summary.cycles > 0) parts.push(plural(summary.cycles, 'cycle'));
  lines.push('', paint.dim(parts.join('; ')));
  return `${lines.join('\n')}\n`;
}

function addHandlers(handlers: readonly FlowHandler[], prefix: string, lines: string[], paint: Painter): void {
  handlers.forEach((handler, position) => {
    const last = position === handlers.length - 1;
    const notes: string[] = [];
    if (handler.unresolved) notes.push('handler not found: it may publish what is not seen');
    else if (handler.publishes.length === 0) notes.push('publishes nothing');
    lines.push(`${prefix}${last ? '└── ' : '├── '}${paint.cyan(handler.service)}: ${handler.name}${notes.length > 0 ? paint.dim(` · ${notes.join('; ')}`) : ''}`);
    const inner = `${prefix}${last ? '    ' : '│   '}`;
    handler.publishes.forEach((event, index) => {
      const lastEvent = index === handler.publishes.length - 1;
      lines.push(`${inner}${lastEvent ? '└── ' : '├── '}${eventLine(event, paint)}`);
      addHandlers(event.handlers, `${inner}${lastEvent ? '    ' : '│   '}`, lines, paint);
    });
  });
}

function eventLine(event: FlowEvent, paint: Painter): string {
  const condition = event.condition ? paint.dim(` (${event.condition})`) : '';
  if (event.revisit === 'cycle') return `${paint.magenta(`↺ ${event.name} (cycle)`)}${kindTag(event, paint)}${condition}`;
  const marker = event.kind === 'failure' ? paint.red('✗ ') : event.kind === 'compensation' ? paint.yellow('↩ ') : '';
  const name = event.kind === 'failure' ? paint.red(event.name) : event.kind === 'compensation' ? paint.yellow(event.name) : event.name;
  return `${marker}${name}${kindTag(event, paint)}${condition}${eventSuffix(event, paint)}`;
}

function kindTag(event: FlowEvent, paint: Painter): string {
  if (event.kind === 'failure') return paint.red(' [failure]');
  if (event.kind === 'compensation') return paint.yellow(' [compensation]');
  return '';
}

function eventSuffix(event: FlowEvent, paint: Painter): string {
  if (event.revisit === 'seen') return paint.dim(' (see above)');
  if (event.revisit === 'depth') return paint.dim(` … (not expanded: ${MAX_FLOW_DEPTH} events deep)`);
  if (event.revisit === undefined && event.handlers.length === 0) return paint.dim(' · nothing consumes it');
  return '';
}

interface Painter {
  bold(text: string): string;
  dim(text: string): string;
  red(text: string): string;
  yellow(text: string): string;
  cyan(text: string): string;
  magenta(text: string): string;
}

function painter(color: boolean): Painter {
  const wrap = (open: number, close: number) => (text: string) => (color && text !== '' ? `\u001b[${open}m${text}\u001b[${close}m` : text);
  return { bold: wrap(1, 22), dim: wrap(2, 22), red: wrap(31, 39), yellow: wrap(33, 39), cyan: wrap(36, 39), magenta: wrap(35, 39) };
}
