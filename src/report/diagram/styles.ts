import type { ElementClass } from './types.js';

/** One palette for every format: Mermaid classDefs, DOT attributes and the HTML page's CSS. */
export interface ClassStyle {
  stroke?: string;
  strokeWidth?: number;
  dashed?: boolean;
  fill?: string;
  text?: string;
  bold?: boolean;
}

export const CLASS_STYLES: Record<ElementClass, ClassStyle> = {
  cycle: { stroke: '#d62728', strokeWidth: 3, text: '#b71c1c' },
  'service-cycle': { stroke: '#d62728', strokeWidth: 2, dashed: true },
  chain: { stroke: '#ef6c00', strokeWidth: 3 },
  orphan: { stroke: '#bdbdbd', dashed: true, fill: '#f5f5f5', text: '#9e9e9e' },
  dangling: { stroke: '#bdbdbd', dashed: true, fill: '#f5f5f5', text: '#9e9e9e' },
  focus: { bold: true },
  start: { stroke: '#1a73e8', strokeWidth: 2, fill: '#e3f2fd' },
  failure: { stroke: '#d62728', fill: '#fdecea', text: '#b71c1c' },
  compensation: { stroke: '#ef6c00', fill: '#fff4e5', text: '#8a4b00' },
};

export const KIND_FILL = {
  service: '#e8f0fe',
  folder: '#d2e3fc',
  handler: '#e6f4ea',
  event: '#fef7e0',
  domain: '#feefc3',
} as const;

export const DEFAULT_STROKE = '#5f6368';

/** A CSS-ish class name without hyphens (Mermaid class names). */
export function mermaidClassName(name: ElementClass): string {
  return name.replace(/-([a-z])/g, (_, letter: string) => letter.toUpperCase());
}
