import type { CallSite, CallTarget, FileSummary, FunctionSummary } from '../model/summary.js';
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

/**
 * What functions reached in earlier runs, with the summaries that decided it: a daemon keeps it
 * between runs, and a run takes an answer whose summaries are all still the ones it has loaded.
 */
export type ReachMemory = Map<string, { reached: readonly Reached[]; summaries: ReadonlyMap<string, FileSummary | undefined> }>;

export interface ResolvedCall extends FunctionRef {
  thisClass?: ClassTarget;
}

/**
 * The call graph between functions, resolved lazily: direct calls, `this.method()` (on the class
 * the method runs for), imported functions, methods of injected services (a field's declared
 * type) and inherited methods.
 */
export class CallGraph {
  private readonly callees = new Map<string, { callees: Array<ResolvedCall & { guard?: CallSite['guard'] }>; files: ReadonlySet<string> }>();
  /** What each function reaches: every handler asks twice (its effects, then its publishes). */
  private readonly reachableFrom = new Map<string, { reached: readonly Reached[]; files: ReadonlySet<string> }>();
  private readonly functionIndex = new Map<string, Map<string, FunctionSummary>>();
  /** Functions whose reach was taken from the memory of earlier runs, and computed in this one. */
  readonly reach = { remembered: 0, computed: 0 };

  constructor(
    private readonly bindings: BindingResolver,
    private readonly modules: ModuleResolver,
    private readonly maxDepth: number,
    private readonly memory?: ReachMemory,
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
    } else {
      this.bindings.tracker.read(ref.file);
    }
    return index.get(ref.id);
  }

  /** Every function reachable from `start` within maxDepth calls, breadth first (shortest chains). */
  reachable(start: FunctionRef): readonly Reached[] {
    const cacheKey = globalFunctionId(start);
    const known = this.reachableFrom.get(cacheKey);
    if (known) {
      this.bindings.tracker.replay(known.files);
      return known.reached;
    }
    const remembered = this.memory?.get(cacheKey);
    let entry: { reached: readonly Reached[]; files: ReadonlySet<string> };
    if (remembered && this.stillHolds(remembered.summaries)) {
      entry = { reached: remembered.reached, files: new Set(remembered.summaries.keys()) };
      this.bindings.tracker.replay(entry.files);
      this.reach.remembered++;
    } else {
      const { value, files } = this.bindings.tracker.track(() => this.walk(start));
      this.reach.computed++;
      entry = { reached: value, files };
      // Every file read is loaded now: peek answers without loading anything.
      this.memory?.set(cacheKey, { reached: freezeReached(value), summaries: new Map([...files].map((file) => [file, this.bindings.peek(file)?.summary])) });
    }
    this.reachableFrom.set(cacheKey, entry);
    return entry.reached;
  }

  /**
   * Whether every summary an earlier answer read is the one this run has loaded. A file this run
   * has not loaded yet makes it no: loading it to compare would load files a run without the
   * daemon may not, and what is loaded decides the suppressions and the next run's cache.
   */
  private stillHolds(summaries: ReadonlyMap<string, FileSummary | undefined>): boolean {
    for (const [file, summary] of summaries) {
      const loaded = this.bindings.peek(file);
      if (!loaded || loaded.summary !== summary) return false;
    }
    return true;
  }

  private walk(start: FunctionRef): Reached[] {
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
    const known = this.callees.get(key);
    if (known) {
      this.bindings.tracker.replay(known.files);
      return known.callees;
    }
    const { value: callees, files } = this.bindings.tracker.track(() => {
      const found: Array<ResolvedCall & { guard?: CallSite['guard'] }> = [];
      for (const call of this.functionSummary(ref)?.calls ?? []) {
        const callee = this.resolveTarget(ref.file, call.target, ref.thisClass);
        if (callee && this.functionSummary(callee)) found.push({ ...callee, ...(call.guard ? { guard: call.guard } : {}) });
      }
      return found;
    });
    this.callees.set(key, { callees, files });
    return callees;
  }
}

/** Kept between runs and handed to each: frozen, so that no run changes what the next one gets. */
function freezeReached(reached: Reached[]): readonly Reached[] {
  for (const item of reached) {
    Object.freeze(item.via);
    Object.freeze(item);
  }
  return Object.freeze(reached);
}

function reachKey(reached: Reached): string {
  return `${globalFunctionId(reached)}\0${reached.thisClass ? `${reached.thisClass.file}#${reached.thisClass.name}` : ''}\0${reached.when ? JSON.stringify(reached.when) : ''}`;
}
