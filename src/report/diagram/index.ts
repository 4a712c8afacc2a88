export { buildDiagram, DEFAULT_DEPTH, domainOf, folderOf, resolveFocus } from './build.js';
export { diagramToDot, dotGraph } from './dot.js';
export { htmlGraph } from './html.js';
export { jsonGraph } from './json.js';
export { diagramToMermaid, MERMAID_LIMITS, mermaidGraph } from './mermaid-flowchart.js';
export { dotToSvg, GRAPHVIZ_LIMITS, svgGraph } from './svg.js';
export type { CollapseKind, Diagram, DiagramEdge, DiagramFinding, DiagramNode, DiagramOptions, GraphOutput, GraphView } from './types.js';
