import { StableIds } from '../diagram/ids.js';
import { escapeMermaid } from '../diagram/mermaid-flowchart.js';
import type { Flow, FlowEvent } from './build.js';

const EXTERNAL = '\0external';

/**
 * The flow as a Mermaid sequence diagram between services: each event is a message from the
 * service that publishes it to the service of each handler it triggers (the handler in a note);
 * failure and compensation branches are `opt` blocks; a revisit is a message marked `↺ … (cycle)`
 * or `(see above)` and goes no further.
 */
export function renderFlowSequence(flow: Flow): string {
  const ids = new StableIds();
  const order: string[] = [];
  const participant = (service: string) => {
    if (!ids.has(service)) order.push(service);
    return ids.get(service, 'p', service === EXTERNAL ? 'external' : service);
  };
  const body: string[] = [];
  const push = (depth: number, line: string) => body.push(`${'  '.repeat(depth + 1)}${line}`);

  const sender = flow.publishers[0] ?? EXTERNAL;
  participant(sender);
  if (flow.publishers.length > 1) push(0, `Note over ${participant(sender)}: ${escapeMermaid(`${flow.start.name} is also published by ${flow.publishers.slice(1).join(', ')}`)}`);

  const emit = (event: FlowEvent, from: string, depth: number) => {
    const source = participant(from);
    const text = `${event.name}${event.condition ? ` (${event.condition})` : ''}`;
    const branch = event.kind === 'normal' || event === flow.start ? undefined : event.kind;
    if (branch) push(depth, `opt ${branch}: ${escapeMermaid(event.name)}`);
    const inner = branch ? depth + 1 : depth;
    if (event.revisit) {
      const marked = event.revisit === 'cycle' ? `↺ ${event.name} (cycle)` : event.revisit === 'seen' ? `${text} (see above)` : `${text} … (not expanded)`;
      if (event.continuesTo && event.continuesTo.length > 0) for (const service of event.continuesTo) push(inner, `${source}->>${participant(service)}: ${escapeMermaid(marked)}`);
      else push(inner, `Note over ${source}: ${escapeMermaid(marked)}`);
    } else if (event.handlers.length === 0) {
      push(inner, `Note over ${source}: ${escapeMermaid(`${text}: nothing consumes it`)}`);
    } else {
      for (const handler of event.handlers) {
        const target = participant(handler.service);
        push(inner, `${source}->>${target}: ${escapeMermaid(text)}`);
        push(inner, `Note over ${target}: ${escapeMermaid(`${handler.name}${handler.unresolved ? ' (not found)' : ''}`)}`);
        for (const next of handler.publishes) emit(next, handler.service, inner);
      }
    }
    if (branch) push(depth, 'end');
  };
  emit(flow.start, sender, 0);

  const lines = ['sequenceDiagram', `  %% flow from ${flow.start.name.replace(/\n/g, ' ')}`];
  for (const service of order) lines.push(`  participant ${participant(service)} as ${escapeMermaid(service === EXTERNAL ? '(outside the topology)' : service)}`);
  return `${[...lines, ...body].join('\n')}\n`;
}
