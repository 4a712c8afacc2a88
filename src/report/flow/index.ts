import type { Result } from '../../model/result.js';
import type { FailureEvents } from '../../util/failure-events.js';
import type { GraphOutput } from '../diagram/types.js';
import { buildFlow } from './build.js';
import { renderFlowMermaid } from './flowchart.js';
import { renderFlowSequence } from './sequence.js';
import { renderFlowText } from './text.js';

export { buildFlow, flowKind, resolveFlowStart, type Flow, type FlowEvent, type FlowHandler, type FlowKind } from './build.js';

export interface FlowRenderOptions {
  color: boolean;
  /** The id of the event the flow starts at (see resolveFlowStart). */
  event: string;
  /** What counts as a failure event: missing-compensation's options (its defaults when not given). */
  failureEvents?: FailureEvents;
}

export type FlowRenderer = (result: Result, options: FlowRenderOptions) => GraphOutput;

function flowOf(result: Result, options: FlowRenderOptions) {
  return buildFlow(result, options.event, options.failureEvents);
}

/** Formats of `choreolint flow`: pure functions of the result document, the start event and what counts as a failure. */
export const FLOW_FORMATS: Record<string, FlowRenderer> = {
  text: (result, options) => ({ text: renderFlowText(flowOf(result, options), { color: options.color }), notes: [] }),
  sequence: (result, options) => ({ text: renderFlowSequence(flowOf(result, options)), notes: [] }),
  mermaid: (result, options) => renderFlowMermaid(flowOf(result, options)),
  json: (result, options) => ({ text: `${JSON.stringify(flowOf(result, options), null, 2)}\n`, notes: [] }),
};
