import type { Resolution } from '../model/result.js';
import type { EventBranch, NameExpr } from '../model/summary.js';
import type { BindingResolver, Target } from './bindings.js';

export type ResolvedName =
  | { dynamic: false; event: string; resolution: Resolution }
  | { dynamic: true; event: string; resolution: 'dynamic' };

const MAX_DEPTH = 16;

/** The wildcard that stands for an unknown part of a dynamic name. */
export const UNKNOWN_PART = '*';

/**
 * Resolves an event-name expression through constants, enums, static fields, templates and
 * imports across files. What cannot be resolved stays a dynamic name whose known parts are kept
 * (`order.${kind}` → `order.*`), so it can still be reported and matched.
 */
export function resolveName(bindings: BindingResolver, file: string, expression: NameExpr, depth = 0): ResolvedName {
  if (depth > MAX_DEPTH) return dynamic(UNKNOWN_PART);
  switch (expression.kind) {
    case 'literal':
      return { dynamic: false, event: expression.value, resolution: expression.constant ? 'constant' : 'literal' };
    case 'ref': {
      const target = bindings.resolveRef(file, expression.ref);
      return target ? fromTarget(bindings, target, depth) : dynamic(UNKNOWN_PART);
    }
    case 'template': {
      const parts = expression.parts.map((part) => resolveName(bindings, file, part, depth + 1));
      const event = parts.map((part) => part.event).join('');
      if (parts.some((part) => part.dynamic)) return dynamic(collapseWildcards(event));
      return { dynamic: false, event, resolution: 'template' };
    }
    case 'class': {
      const target = bindings.resolveRef(file, expression.ref);
      if (target?.kind === 'class') return { dynamic: false, event: target.name, resolution: 'class' };
      if (target?.kind === 'external') return { dynamic: false, event: target.name.split('.').at(-1)!, resolution: 'class' };
      const written = expression.ref.path?.at(-1) ?? expression.ref.name;
      return { dynamic: false, event: written, resolution: 'class' };
    }
    case 'env': {
      const fallback = resolveName(bindings, file, expression.fallback, depth + 1);
      return fallback.dynamic ? fallback : { dynamic: false, event: fallback.event, resolution: 'env-fallback' };
    }
    case 'choice': {
      const options = expression.options.map((option) => resolveName(bindings, file, option, depth + 1));
      const first = options[0];
      return first && options.every((option) => !option.dynamic && option.event === first.event) ? first : dynamic(UNKNOWN_PART);
    }
    default:
      return dynamic(UNKNOWN_PART);
  }
}

/** An event's name at a declaration: one that resolves to the empty string names no event, and is as unknown as a dynamic one. */
export function resolveEventName(bindings: BindingResolver, file: string, expression: NameExpr): ResolvedName {
  const name = resolveName(bindings, file, expression);
  return name.event === '' ? dynamic(UNKNOWN_PART) : name;
}

/** A name with its choices spelled out: `c ? A : B` is two names, each declared on its own. */
export function alternatives(expression: NameExpr): NameExpr[] {
  return expression.kind === 'choice' ? expression.options.flatMap(alternatives) : [expression];
}

function fromTarget(bindings: BindingResolver, target: Target, depth: number): ResolvedName {
  if (target.kind !== 'const' || target.value.kind === 'object') return dynamic(UNKNOWN_PART);
  const value =
    target.value.kind === 'expr' ? resolveName(bindings, target.file, target.value.expr, depth + 1) : { dynamic: false, event: target.value.value };
  if (value.dynamic) return dynamic(value.event);
  return { dynamic: false, event: value.event, resolution: siteResolution(target) };
}

/** How the name at the site was resolved: through an import, an enum, a static field, or a constant. */
function siteResolution(target: Extract<Target, { kind: 'const' }>): Resolution {
  if (target.imported) return 'imported-constant';
  if (target.origin === 'enum') return 'enum';
  if (target.origin === 'class') return 'static-field';
  return 'constant';
}

function dynamic(event: string): ResolvedName {
  return { dynamic: true, event, resolution: 'dynamic' };
}

function collapseWildcards(pattern: string): string {
  return pattern.replace(/\*+/g, UNKNOWN_PART);
}

export type ResolvedBranch = { when: string } | { unless: string[] };

/** A handler branch's event names, resolved; undefined when a name is dynamic (no narrowing then). */
export function resolveBranch(bindings: BindingResolver, file: string, branch: EventBranch): ResolvedBranch | undefined {
  if ('is' in branch) {
    const name = resolveName(bindings, file, branch.is);
    return name.dynamic ? undefined : { when: name.event };
  }
  const names = branch.not.map((name) => resolveName(bindings, file, name));
  return names.some((name) => name.dynamic) ? undefined : { unless: names.map((name) => name.event) };
}
