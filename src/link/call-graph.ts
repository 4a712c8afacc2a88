import type { CallTarget, FunctionSummary } from '../model/summary.js';
import type { BindingResolver } from './bindings.js';

export interface FunctionRef {
  file: string;
  id: string;
}

export function globalFunctionId(ref: FunctionRef): string {
  return `${ref.file}#${ref.id}`;
}

/** A function reached from a handler, with the chain of calls that reaches it (handler excluded). */
export interface Reached extends FunctionRef {
  via: string[];
}

/**
 * The call graph between functions, resolved lazily: direct calls, `this.method()`, imported
 * functions and methods of injected services (a field's declared type).
 */
export class CallGraph {
  private readonly callees = new Map<string, FunctionRef[]>();
  private readonly functionIndex = new Map<string, Map<string, FunctionSummary>>();

  constructor(
    private readonly bindings: BindingResolver,
    private readonly maxDepth: number,
  ) {}

  resolveTarget(file: string, target: CallTarget): FunctionRef | undefined {
    if ('fn' in target) return { file, id: target.fn };
    if ('ref' in target) {
      const resolved = this.bindings.resolveRef(file, target.ref);
      return resolved?.kind === 'function' ? { file: resolved.file, id: resolved.id } : undefined;
    }
    const type = this.bindings.resolveType(file, target.typed);
    const [method, ...rest] = target.path;
    if (type?.kind !== 'class' || !method || rest.length > 0) return undefined;
    const resolved = this.bindings.method(type, method);
    return resolved && { file: resolved.file, id: resolved.id };
  }

  functionSummary(ref: FunctionRef): FunctionSummary | undefined {
    let index = this.functionIndex.get(ref.file);
    if (!index) {
      index = new Map((this.bindings.summary(ref.file)?.functions ?? []).map((fn) => [fn.id, fn]));
      this.functionIndex.set(ref.file, index);
    }
    return index.get(ref.id);
  }

  /** Every function reachable from `start` within maxDepth calls, breadth first (shortest chains). */
  reachable(start: FunctionRef): Reached[] {
    const seen = new Set([globalFunctionId(start)]);
    const reached: Reached[] = [{ ...start, via: [] }];
    let frontier: Reached[] = reached.slice();
    for (let depth = 0; depth < this.maxDepth && frontier.length > 0; depth++) {
      const next: Reached[] = [];
      for (const current of frontier) {
        for (const callee of this.calleesOf(current)) {
          const id = globalFunctionId(callee);
          if (seen.has(id)) continue;
          seen.add(id);
          const item = { ...callee, via: [...current.via, id] };
          reached.push(item);
          next.push(item);
        }
      }
      frontier = next;
    }
    return reached;
  }

  private calleesOf(ref: FunctionRef): FunctionRef[] {
    const key = globalFunctionId(ref);
    let callees = this.callees.get(key);
    if (!callees) {
      callees = [];
      for (const call of this.functionSummary(ref)?.calls ?? []) {
        const callee = this.resolveTarget(ref.file, call.target);
        if (callee && this.functionSummary(callee)) callees.push(callee);
      }
      this.callees.set(key, callees);
    }
    return callees;
  }
}
