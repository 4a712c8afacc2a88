import type { ClassSummary, ConstValue, FileSummary, SummarySource, SymRef, TypeRef } from '../model/summary.js';
import type { ModuleResolver } from './module-resolution.js';
import { ReadTracker } from './read-tracker.js';

/** What a name in a file turns out to be, once imports and re-exports are followed. */
export type Target =
  /** `origin`: the kind of container the value was read from (an enum, a class's static field, an object). */
  | { kind: 'const'; file: string; value: ConstValue; imported: boolean; origin?: 'object' | 'enum' | 'class' }
  | { kind: 'function'; file: string; id: string }
  | { kind: 'class'; file: string; name: string }
  | { kind: 'value'; file: string; type: TypeRef }
  | { kind: 'namespace'; file: string }
  /** An object literal with methods (`export const bus = { publish() {…} }`): its methods are functions `name.method`. */
  | { kind: 'object'; file: string; name: string }
  | { kind: 'external'; module: string; name: string };

export type ClassTarget = Extract<Target, { kind: 'class' }>;
export type FunctionTarget = Extract<Target, { kind: 'function' }>;

const MAX_HOPS = 24;
const UNRESOLVED = { target: undefined, files: new Set<string>() };

/**
 * Resolves module-level names across files: the link stage's symbol table, built lazily from
 * file summaries and memoized per (file, name).
 */
/** What link asks of a file's summary again and again, as sets instead of scans of its lists. */
interface SummaryIndex {
  /** Local names bound by an import. */
  imported: Set<string>;
  functionIds: Set<string>;
  /** `a` and `a.b` for a function `a.b.c`: the objects whose methods were summarized as functions. */
  objectPrefixes: Set<string>;
}

export class BindingResolver {
  /** Each name's target, with the files whose summaries decided it. */
  private readonly memo = new Map<string, { target: Target | undefined; files: ReadonlySet<string> }>();
  private readonly indexes = new Map<string, SummaryIndex>();

  constructor(
    private readonly summaries: SummarySource,
    private readonly modules: ModuleResolver,
    readonly tracker = new ReadTracker(false),
  ) {}

  summary(file: string): FileSummary | undefined {
    this.tracker.read(file);
    return this.summaries.get(file);
  }

  /** The file's summary if asking for it would load nothing (see SummarySource.peek); never recorded as read. */
  peek(file: string): { summary: FileSummary | undefined } | undefined {
    return this.summaries.peek(file);
  }

  private index(file: string): SummaryIndex | undefined {
    let index = this.indexes.get(file);
    if (index) {
      this.tracker.read(file);
      return index;
    }
    const summary = this.summary(file);
    if (!summary) return undefined;
    index = { imported: new Set(summary.imports.map((binding) => binding.local)), functionIds: new Set(), objectPrefixes: new Set() };
    for (const { id } of summary.functions) {
      index.functionIds.add(id);
      for (let dot = id.indexOf('.'); dot !== -1; dot = id.indexOf('.', dot + 1)) index.objectPrefixes.add(id.slice(0, dot));
    }
    this.indexes.set(file, index);
    return index;
  }

  /** A name (and property path) as written in a file. */
  resolveRef(file: string, ref: SymRef): Target | undefined {
    let target = this.resolveName(file, ref.name, 0);
    for (const segment of ref.path ?? []) {
      if (!target) return undefined;
      target = this.member(target, segment, 0);
    }
    const imported = this.index(file)?.imported.has(ref.name) ?? false;
    return target?.kind === 'const' && imported !== target.imported ? { ...target, imported } : target;
  }

  /** The class (or external export) a syntactic type denotes. */
  resolveType(file: string, type: TypeRef, hops = 0): Target | undefined {
    if (hops > MAX_HOPS) return undefined;
    const target = this.resolveRef(file, 'type' in type ? type.type : type.value);
    if (!target || 'type' in type) return target;
    if (target.kind === 'value') return this.resolveType(target.file, target.type, hops + 1);
    return target.kind === 'class' || target.kind === 'external' ? target : undefined;
  }

  /** A method of a class, looked up through its `extends` chain. */
  method(classTarget: Extract<Target, { kind: 'class' }>, name: string, hops = 0): Extract<Target, { kind: 'function' }> | undefined {
    if (hops > MAX_HOPS) return undefined;
    const summary = this.summary(classTarget.file);
    const cls = summary?.classes[classTarget.name];
    if (!summary || !cls) return undefined;
    if (cls.methods.includes(name)) {
      const id = `${classTarget.name}.${name}`;
      if (this.index(classTarget.file)!.functionIds.has(id)) return { kind: 'function', file: classTarget.file, id };
    }
    const base = this.baseClass(classTarget);
    return base?.kind === 'class' ? this.method(base, name, hops + 1) : undefined;
  }

  /** An instance field's static value (`readonly subject = Subjects.X`), looked up through `extends`. */
  classProp(classTarget: ClassTarget, name: string): { file: string; value: ConstValue } | undefined {
    const found = this.inClassChain(classTarget, (cls) => cls.props[name]);
    return found && { file: found.file, value: found.found };
  }

  /** An instance field's declared type (a getter that returns a field counts), looked up through `extends`. */
  fieldType(classTarget: ClassTarget, name: string): { file: string; type: TypeRef } | undefined {
    const found = this.inClassChain(classTarget, (cls) => cls.fields[name]);
    return found && { file: found.file, type: found.found };
  }

  /** The first class of the `extends` chain, from `classTarget` up, where `pick` finds something. */
  private inClassChain<T>(classTarget: ClassTarget, pick: (cls: ClassSummary) => T | undefined): { file: string; found: T } | undefined {
    let current: Target | undefined = classTarget;
    for (let hops = 0; current?.kind === 'class' && hops < MAX_HOPS; hops++) {
      const cls = this.summary(current.file)?.classes[current.name];
      const found = cls && pick(cls);
      if (found) return { file: current.file, found };
      current = this.baseClass(current);
    }
    return undefined;
  }

  /** True when `candidate` is `base` or extends it, through any number of classes. */
  extendsClass(candidate: ClassTarget, base: ClassTarget): boolean {
    let current: Target | undefined = candidate;
    for (let hops = 0; current?.kind === 'class' && hops < MAX_HOPS; hops++) {
      if (current.file === base.file && current.name === base.name) return true;
      current = this.baseClass(current);
    }
    return false;
  }

  baseClass(classTarget: Extract<Target, { kind: 'class' }>): Target | undefined {
    const cls = this.summary(classTarget.file)?.classes[classTarget.name];
    return cls?.extends && this.resolveRef(classTarget.file, cls.extends);
  }

  /** True when the type is one of `oneOf` (module exports) or a class that extends one. */
  /**
   * True when the type is one of `oneOf` or a class that extends one. A candidate names a module's
   * export, or, with module `*`, a class of that name anywhere (in the repository or a package).
   */
  isA(file: string, type: TypeRef, oneOf: ReadonlyArray<{ module: string; name: string }>): boolean {
    let target = this.resolveType(file, type);
    for (let hops = 0; target && hops < MAX_HOPS; hops++) {
      if (target.kind === 'external') {
        const external = target;
        return oneOf.some((candidate) => (candidate.module === external.module || candidate.module === '*') && candidate.name === external.name);
      }
      if (target.kind !== 'class') return false;
      const cls = target;
      if (oneOf.some((candidate) => candidate.module === '*' && candidate.name === cls.name)) return true;
      target = this.baseClass(target);
    }
    return false;
  }

  private resolveName(file: string, name: string, hops: number): Target | undefined {
    const key = `${file}\0${name}`;
    const known = this.memo.get(key);
    if (known) {
      this.tracker.replay(known.files);
      return known.target;
    }
    // A name met again while it is being resolved (an import cycle) resolves to nothing.
    this.memo.set(key, UNRESOLVED);
    const { value, files } = this.tracker.track(() => (hops > MAX_HOPS ? undefined : this.resolveNameUncached(file, name, hops)));
    this.memo.set(key, { target: value, files });
    return value;
  }

  private resolveNameUncached(file: string, name: string, hops: number): Target | undefined {
    const summary = this.summary(file);
    if (!summary) return undefined;
    if (summary.classes[name]) return { kind: 'class', file, name };
    const constant = summary.constants[name];
    if (constant) return { kind: 'const', file, value: constant, imported: false };
    const functionId = summary.functionNames[name];
    if (functionId) return { kind: 'function', file, id: functionId };
    const value = summary.values[name];
    if (value) return { kind: 'value', file, type: value };
    const binding = summary.imports.find((entry) => entry.local === name);
    if (binding) return this.fromModule(file, binding.from, binding.imported, hops + 1);
    return this.objectOfMethods(file, name);
  }

  /** An object whose methods extract summarized as functions `name.method` (or deeper, `name.inner.method`). */
  private objectOfMethods(file: string, name: string): Target | undefined {
    return this.index(file)?.objectPrefixes.has(name) ? { kind: 'object', file, name } : undefined;
  }

  private fromModule(file: string, specifier: string, imported: string, hops: number): Target | undefined {
    const module = this.modules.resolve(file, specifier);
    if (!module) return undefined;
    if ('external' in module) return { kind: 'external', module: module.external, name: imported };
    if (imported === '*') return { kind: 'namespace', file: module.file };
    return this.resolveExport(module.file, imported, hops);
  }

  resolveExport(file: string, exported: string, hops = 0): Target | undefined {
    if (hops > MAX_HOPS) return undefined;
    const summary = this.summary(file);
    if (!summary) return undefined;
    for (const entry of summary.exports) {
      if (entry.exported !== exported) continue;
      if (entry.local !== undefined) return this.resolveName(file, entry.local, hops + 1);
      if (entry.from) return this.fromModule(file, entry.from, entry.imported ?? exported, hops + 1);
    }
    for (const entry of summary.exports) {
      if (entry.exported !== '*' || !entry.from) continue;
      const found = this.fromModule(file, entry.from, exported, hops + 1);
      if (found) return found;
    }
    return undefined;
  }

  /** `target.segment`: an object's entry, a class's static value or method, an instance's method, a namespace's export. */
  member(target: Target, segment: string, hops: number): Target | undefined {
    if (hops > MAX_HOPS) return undefined;
    switch (target.kind) {
      case 'const': {
        if (target.value.kind === 'object') {
          const value = target.value.entries[segment];
          return value && { ...target, value, origin: target.origin ?? target.value.origin };
        }
        if (target.value.kind === 'expr' && target.value.expr.kind === 'ref') {
          const inner = this.resolveRef(target.file, target.value.expr.ref);
          return inner && this.member(inner, segment, hops + 1);
        }
        return undefined;
      }
      case 'class': {
        const statics = this.summary(target.file)?.constants[target.name];
        const value = statics?.kind === 'object' ? statics.entries[segment] : undefined;
        if (value) return { kind: 'const', file: target.file, value, imported: false, origin: 'class' };
        return this.method(target, segment);
      }
      case 'value': {
        const type = this.resolveType(target.file, target.type);
        if (type?.kind !== 'class') return undefined;
        // A field (or a getter returning one) is a value of its declared type: `natsWrapper.client`.
        const field = this.fieldType(type, segment);
        return field ? { kind: 'value', file: field.file, type: field.type } : this.method(type, segment);
      }
      case 'namespace':
        return this.resolveExport(target.file, segment, hops + 1);
      case 'object': {
        const id = `${target.name}.${segment}`;
        if (this.index(target.file)?.functionIds.has(id)) return { kind: 'function', file: target.file, id };
        return this.objectOfMethods(target.file, id);
      }
      case 'external':
        return { kind: 'external', module: target.module, name: `${target.name}.${segment}` };
      default:
        return undefined;
    }
  }
}
