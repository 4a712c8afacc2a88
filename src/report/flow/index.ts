import type { Result } from '../../model/result.js';
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
}

export type FlowRenderer = (result: Result, options: FlowRenderOptions) => GraphOutput;

/** Formats of `choreolint flow`: pure functions of the result document and the start event. */
export const FLOW_FORMATS: Record<string, FlowRenderer> = {
  text: (result, options) => ({ text: renderFlowText(buildFlow(result, options.event), { color: options.color }), notes: [] }),
  sequence: (result, options) => ({ text: renderFlowSequence(buildFlow(result, options.event)), notes: [] }),
  mermaid: (result, options) => renderFlowMermaid(buildFlow(result, options.event)),
  json: (result, options) => ({ text: `${JSON.stringify(buildFlow(result, options.event), null, 2)}\n`, notes: [] }),
};
