export type GraphView = 'events' | 'services' | 'flows';

/** What `--collapse` groups: services (and their handlers) by folder, events by domain. */
export type CollapseKind = 'folder' | 'domain';

/** Classes a finding puts on what it touches, in order of precedence. */
export const MARK_CLASSES = ['cycle', 'service-cycle', 'chain', 'orphan', 'dangling'] as const;
export type MarkClass = (typeof MARK_CLASSES)[number];

/** Classes of a flow (`choreolint flow`): where it starts, and its failure and compensation branches. */
export type FlowClass = 'start' | 'failure' | 'compensation';

/** Every class a node or an edge can carry besides its kind. */
export type ElementClass = MarkClass | 'focus' | FlowClass;

/** Most important first: the order of legends and of an element's classes; the first one styles it. */
export const CLASS_ORDER: readonly ElementClass[] = ['cycle', 'service-cycle', 'chain', 'orphan', 'dangling', 'focus', 'start', 'failure', 'compensation'];

export interface DiagramOptions {
  view: GraphView;
  /** An event (id or name) or a service name: keep only its neighbourhood. */
  focus?: string;
  /** How many hops around the focus to keep (default 2). */
  depth?: number;
  collapse?: readonly CollapseKind[];
}

export type NodeKind = 'service' | 'event' | 'handler' | 'folder' | 'domain';

export interface DiagramNode {
  /** Stable id derived from the name (`e_shop_order_placed`), unique in the diagram. */
  id: string;
  /** The topology node id (`service:NAME`, `event:ID`, `handler:ID`) or the group's (`folder:PATH`, `domain:NAME`). */
  key: string;
  kind: NodeKind;
  /** The label, one entry per line. */
  label: string[];
  /** The topology nodes a group stands for (sorted keys); absent for a plain node. */
  members?: string[];
  classes: ElementClass[];
}

export interface DiagramEdge {
  /** `${from}--${to}` of the node ids. */
  id: string;
  from: string;
  to: string;
  /** Label items (events on a service edge, conditions on a trigger edge), sorted; may be empty. */
  label: string[];
  classes: ElementClass[];
}

/** A finding and what it touches in this diagram (node and edge ids). */
export interface DiagramFinding {
  index: number;
  ruleId: string;
  severity: string;
  message: string;
  location: string;
  docs: string;
  mark?: MarkClass;
  nodes: string[];
  edges: string[];
}

export interface LegendEntry {
  class: ElementClass;
  text: string;
}

export interface Diagram {
  repository: string;
  view: GraphView;
  nodes: DiagramNode[];
  edges: DiagramEdge[];
  findings: DiagramFinding[];
  legend: LegendEntry[];
  /** Where the diagram differs from the whole view (focus, collapse, size limits): comment lines. */
  comments: string[];
}

/** A rendered diagram and the notes the CLI prints on stderr (collapsed or truncated for size). */
export interface GraphOutput {
  text: string;
  notes: string[];
}
