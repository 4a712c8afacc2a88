import type { CallSite, CallTarget, FunctionSummary } from '../model/summary.js';
import type { BindingResolver, ClassTarget } from './bindings.js';
import type { ModuleResolver } from './module-resolution.js';

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
  /** The class `this` is while it runs (a subclass when reached through one), for `this.method()`. */
  thisClass?: ClassTarget;
  /** Reached through a branch of the handler for some events only (`case Topics.X:`), in the handler's file. */
  when?: CallSite['guard'];
}

export interface ResolvedCall extends FunctionRef {
  thisClass?: ClassTarget;
}

/**
 * The call graph between functions, resolved lazily: direct calls, `this.method()` (on the class
 * the method runs for), imported functions, methods of injected services (a field's declared
 * type) and inherited methods.
 */
export class CallGraph {
  private readonly callees = new Map<string, Array<ResolvedCall & { guard?: CallSite['guard'] }>>();
  /** What each function reaches: every handler asks twice (its effects, then its publishes). */
  private readonly reachableFrom = new Map<string, Reached[]>();
  private readonly functionIndex = new Map<string, Map<string, FunctionSummary>>();

  constructor(
    private readonly bindings: BindingResolver,
    private readonly modules: ModuleResolver,
    private readonly maxDepth: number,
  ) {}

  /** The class a function is a method of, as a class target. */
  ownClass(ref: FunctionRef): ClassTarget | undefined {
    const className = this.functionSummary(ref)?.className;
    return className ? { kind: 'class', file: ref.file, name: className } : undefined;
  }

  resolveTarget(file: string, target: CallTarget, thisClass?: ClassTarget): ResolvedCall | undefined {
    if ('fn' in target) return { file, id: target.fn, ...(thisClass ? { thisClass } : {}) };
    if ('self' in target) {
      const method = thisClass && this.bindings.method(thisClass, target.self);
      return method && { file: method.file, id: method.id, thisClass: thisClass! };
    }
    if ('ref' in target) {
      const resolved = this.bindings.resolveRef(file, target.ref);
      if (resolved?.kind !== 'function') return undefined;
      const owner = this.ownClass(resolved);
      return { file: resolved.file, id: resolved.id, ...(owner ? { thisClass: owner } : {}) };
    }
    if ('typed' in target) {
      const type = this.bindings.resolveType(file, target.typed);
      const [method, ...rest] = target.path;
      if (type?.kind !== 'class' || !method || rest.length > 0) return undefined;
      const resolved = this.bindings.method(type, method);
      return resolved && { file: resolved.file, id: resolved.id, thisClass: type };
    }
    if ('module' in target) {
      const module = this.modules.resolve(file, target.module);
      if (!module || 'external' in module) return undefined;
      const resolved = this.bindings.resolveExport(module.file, target.export);
      return resolved?.kind === 'function' ? { file: resolved.file, id: resolved.id } : undefined;
    }
    return undefined;
  }

  /** The class a call's receiver is, when the call site says: `new X().m()`, a typed field, `this`. */
  receiverClass(file: string, target: CallTarget, thisClass?: ClassTarget): ClassTarget | undefined {
    if ('self' in target) return thisClass;
    if ('typed' in target) {
      const type = this.bindings.resolveType(file, target.typed);
      return type?.kind === 'class' ? type : undefined;
    }
    return undefined;
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
  reachable(start: FunctionRef): readonly Reached[] {
    const cacheKey = globalFunctionId(start);
    let reached = this.reachableFrom.get(cacheKey);
    if (!reached) {
      reached = this.reach(start);
      this.reachableFrom.set(cacheKey, reached);
    }
    return reached;
  }

  private reach(start: FunctionRef): Reached[] {
    const startClass = this.ownClass(start);
    const first: Reached = { ...start, via: [], ...(startClass ? { thisClass: startClass } : {}) };
    const seen = new Set([reachKey(first)]);
    const reached: Reached[] = [first];
    let frontier: Reached[] = [first];
    for (let depth = 0; depth < this.maxDepth && frontier.length > 0; depth++) {
      const next: Reached[] = [];
      for (const current of frontier) {
        for (const callee of this.calleesOf(current)) {
          const when = depth === 0 ? callee.guard : current.when;
          const item: Reached = {
            file: callee.file,
            id: callee.id,
            via: [...current.via, globalFunctionId(callee)],
            ...(callee.thisClass ? { thisClass: callee.thisClass } : {}),
            ...(when ? { when } : {}),
          };
          const key = reachKey(item);
          if (seen.has(key)) continue;
          seen.add(key);
          reached.push(item);
          next.push(item);
        }
      }
      frontier = next;
    }
    return reached;
  }

  private calleesOf(ref: Reached): Array<ResolvedCall & { guard?: CallSite['guard'] }> {
    const key = `${globalFunctionId(ref)}\0${ref.thisClass ? `${ref.thisClass.file}#${ref.thisClass.name}` : ''}`;
    let callees = this.callees.get(key);
    if (!callees) {
      callees = [];
      for (const call of this.functionSummary(ref)?.calls ?? []) {
        const callee = this.resolveTarget(ref.file, call.target, ref.thisClass);
        if (callee && this.functionSummary(callee)) callees.push({ ...callee, ...(call.guard ? { guard: call.guard } : {}) });
      }
      this.callees.set(key, callees);
    }
    return callees;
  }
}

function reachKey(reached: Reached): string {
  return `${globalFunctionId(reached)}\0${reached.thisClass ? `${reached.thisClass.file}#${reached.thisClass.name}` : ''}\0${reached.when ? JSON.stringify(reached.when) : ''}`;
}
