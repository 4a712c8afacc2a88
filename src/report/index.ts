export { CHECK_FORMATS } from './check-formats.js';
export { GRAPH_FORMATS, GRAPH_VIEWS, type GraphRenderOptions, type GraphView } from './graph-formats.js';
export type { CheckRenderOptions, Reporter } from './types.js';
