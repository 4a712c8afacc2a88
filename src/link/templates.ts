import type { ArgValue, CallSite, CallTarget, DeclarationDraft, EventBranch, ImportBinding, NameExpr } from '../model/summary.js';
import { compareStrings } from '../util/compare.js';
import type { BindingResolver, ClassTarget } from './bindings.js';
import { globalFunctionId, type CallGraph, type FunctionRef } from './call-graph.js';
import { lookupPath } from '../model/const-value.js';
import { resolveName } from './names.js';

/**
 * A declaration whose event name or handler comes from its context: a parameter of the function
 * holding it (a wrapper: `publish(topic, payload) { producer.send({ topic, … }) }`), or a field of
 * `this` that each subclass sets (`readonly subject = Subjects.OrderCreated`).
 */
export interface Template {
  owner: FunctionRef;
  draft: DeclarationDraft;
  /** Valid in the owner's file. */
  name: NameExpr;
  handler?: CallTarget | FunctionRef;
  /** The function holding the client call, where the template started. */
  wrapper: string;
  origin: { file: string; line: number; column: number };
}

/** A declaration the templates produced at a call site (or, failing any, at a subclass). */
export interface Instance {
  file: string;
  line: number;
  column: number;
  draft: DeclarationDraft;
  name: NameExpr;
  /** The name as written where the template started, when the instance's name is a plain value. */
  expression?: string;
  /** The caller's function, which now holds the publish. */
  function?: FunctionRef;
  /** The call site's branch guard (`case Topics.X:`), which now guards the publish. */
  guard?: EventBranch;
  handler?: FunctionRef;
  wrapper: string;
}

export function isTemplateName(expression: NameExpr): boolean {
  switch (expression.kind) {
    case 'param':
      return true;
    case 'ref':
      return expression.ref.name === 'this';
    case 'template':
      return expression.parts.some(isTemplateName);
    case 'env':
      return isTemplateName(expression.fallback);
    case 'choice':
      return expression.options.some(isTemplateName);
    default:
      return false;
  }
}

const MAX_ROUNDS = 5;

/**
 * Instantiates templates at every call of their function, found by scanning for its name; a call
 * that passes its own parameter on makes the caller a wrapper in turn (up to MAX_ROUNDS levels).
 * Templates never instantiated fall back to each subclass that sets the field, or stay dynamic.
 */
export function instantiateTemplates(
  initial: Template[],
  bindings: BindingResolver,
  calls: CallGraph,
  scan: (tokens: string[]) => void,
  loadedFiles: () => readonly string[],
): { instances: Instance[]; unused: Template[] } {
  const instances: Instance[] = [];
  const used = new Set<Template>();
  /** For each template's origin, the receiver classes it was instantiated for. */
  const instantiatedFor = new Map<string, Set<string>>();
  const seen = new Set(initial.map(templateKey));
  const scannedTokens = new Set<string>();
  let queue = initial;
  for (let round = 0; round < MAX_ROUNDS && queue.length > 0; round++) {
    const tokens = queue.flatMap(tokensOf).filter((token) => !scannedTokens.has(token));
    tokens.forEach((token) => scannedTokens.add(token));
    scan(tokens);
    const byOwner = new Map<string, Template[]>();
    for (const template of queue) byOwner.set(globalFunctionId(template.owner), [...(byOwner.get(globalFunctionId(template.owner)) ?? []), template]);
    const names = new Set(queue.map((template) => terminalName(template.owner.id)));
    const next: Template[] = [];
    for (const file of [...loadedFiles()].sort(compareStrings)) {
      const imports = bindings.summary(file)?.imports ?? [];
      for (const fn of bindings.summary(file)?.functions ?? []) {
        const caller = { file, id: fn.id };
        const callerClass = calls.ownClass(caller);
        for (const call of fn.calls) {
          if (!calledNames(call.target, imports).some((name) => names.has(name))) continue;
          const callee = calls.resolveTarget(file, call.target, callerClass);
          const templates = callee && byOwner.get(globalFunctionId(callee));
          if (!templates) continue;
          const receiver = calls.receiverClass(file, call.target, callerClass);
          const polymorphic = 'self' in call.target;
          for (const template of templates) {
            const result = instantiate(template, caller, call, receiver, polymorphic);
            if (!result) continue;
            used.add(template);
            if ('instance' in result) {
              instances.push(result.instance);
              if (receiver) {
                const key = originKey(template);
                instantiatedFor.set(key, (instantiatedFor.get(key) ?? new Set()).add(`${receiver.file}#${receiver.name}`));
              }
            }
            else if (!seen.has(templateKey(result.template))) {
              seen.add(templateKey(result.template));
              next.push(result.template);
            }
          }
        }
      }
    }
    queue = next;
  }
  const perSubclass = instancesPerSubclass(initial);
  return { instances: [...instances, ...perSubclass], unused: initial.filter((template) => !used.has(template)) };

  /**
   * A template on a `this` field that no call site instantiated: one declaration per subclass that
   * sets the field, at the subclass (each subclass is an event of its own, constructed somewhere).
   */
  function instancesPerSubclass(templates: Template[]): Instance[] {
    const result: Instance[] = [];
    const bases = templates.map((template) => ({ template, base: calls.ownClass(template.owner) })).filter((entry) => entry.base && usesThis(entry.template.name));
    if (bases.length === 0) return result;
    for (let level = 0; level < 3; level++) {
      const classNames = new Set<string>(bases.map((entry) => entry.base!.name));
      for (const file of loadedFiles()) for (const cls of Object.values(bindings.summary(file)?.classes ?? {})) if (cls.extends) classNames.add(cls.name);
      scan([...classNames].map((name) => `extends ${name}`).filter((token) => !scannedTokens.has(token)));
      classNames.forEach((name) => scannedTokens.add(`extends ${name}`));
    }
    for (const file of [...loadedFiles()].sort(compareStrings)) {
      for (const cls of Object.values(bindings.summary(file)?.classes ?? {})) {
        const subclass: ClassTarget = { kind: 'class', file, name: cls.name };
        for (const { template, base } of bases) {
          if (!base || (base.file === file && base.name === cls.name) || !bindings.extendsClass(subclass, base)) continue;
          if (instantiatedFor.get(originKey(template))?.has(`${file}#${cls.name}`)) continue;
          const name = substituteThis(template.name as Extract<NameExpr, { kind: 'ref' }>, subclass, false);
          if (name.kind === 'dynamic') continue;
          const handler = template.handler && substituteHandler(template.handler, template.owner.file, template.owner, [], subclass, false);
          used.add(template);
          result.push({
            file,
            line: cls.line,
            column: 1,
            draft: template.draft,
            name,
            ...writtenAs(template),
            ...(handler && 'id' in handler ? { handler } : {}),
            wrapper: template.wrapper,
          });
        }
      }
    }
    return result;
  }

  function instantiate(
    template: Template,
    caller: FunctionRef,
    call: CallSite,
    receiver: ClassTarget | undefined,
    polymorphic: boolean,
  ): { instance: Instance } | { template: Template } | undefined {
    const name = substitute(template.name, template.owner.file, call.args ?? [], receiver, polymorphic);
    const handler = substituteHandler(template.handler, template.owner.file, caller, call.args ?? [], receiver, polymorphic);
    if (isTemplateName(name) || (handler && !('id' in handler))) {
      return { template: { ...template, owner: caller, name, ...(handler ? { handler } : {}) } };
    }
    return {
      instance: {
        file: caller.file,
        line: call.line,
        column: call.column,
        draft: template.draft,
        name,
        ...writtenAs(template),
        function: caller,
        ...(call.guard ? { guard: call.guard } : {}),
        ...(handler ? { handler } : {}),
        wrapper: template.wrapper,
      },
    };
  }

  /** The name as the caller's file sees it: parameters replaced by arguments, `this` fields by the receiver's. */
  function substitute(expression: NameExpr, ownerFile: string, args: ReadonlyArray<ArgValue | null>, receiver: ClassTarget | undefined, polymorphic: boolean): NameExpr {
    switch (expression.kind) {
      case 'param': {
        const arg = args[expression.index];
        return arg && 'name' in arg ? arg.name : { kind: 'dynamic', text: `argument ${expression.index + 1} of ${expression.text}` };
      }
      case 'template':
        return { ...expression, parts: expression.parts.map((part) => substitute(part, ownerFile, args, receiver, polymorphic)) };
      case 'env':
        return { ...expression, fallback: substitute(expression.fallback, ownerFile, args, receiver, polymorphic) };
      case 'choice':
        return { ...expression, options: expression.options.map((option) => substitute(option, ownerFile, args, receiver, polymorphic)) };
      case 'ref':
        if (expression.ref.name === 'this') return substituteThis(expression, receiver, polymorphic);
        return settled(ownerFile, expression);
      default:
        return settled(ownerFile, expression);
    }
  }

  function substituteThis(expression: Extract<NameExpr, { kind: 'ref' }>, receiver: ClassTarget | undefined, polymorphic: boolean): NameExpr {
    const [field, ...rest] = expression.ref.path ?? [];
    const prop = receiver && field ? bindings.classProp(receiver, field) : undefined;
    if (!prop) return polymorphic ? expression : { kind: 'dynamic', text: expression.text };
    const value = lookupPath(prop.value, rest);
    if (value?.kind === 'string') return { kind: 'literal', value: value.value, constant: true };
    if (value?.kind === 'expr') return settled(prop.file, value.expr);
    return { kind: 'dynamic', text: expression.text };
  }

  /** A name that does not depend on the call, resolved where it was written. */
  function settled(file: string, expression: NameExpr): NameExpr {
    const resolved = resolveName(bindings, file, expression);
    return resolved.dynamic ? { kind: 'dynamic', text: 'text' in expression ? expression.text : resolved.event } : { kind: 'literal', value: resolved.event, constant: true };
  }

  function substituteHandler(
    handler: Template['handler'],
    ownerFile: string,
    caller: FunctionRef,
    args: ReadonlyArray<ArgValue | null>,
    receiver: ClassTarget | undefined,
    polymorphic: boolean,
  ): Template['handler'] {
    if (handler && 'id' in handler) return forwardedHandler(handler, ownerFile, caller, args, receiver, polymorphic);
    if (!handler) return handler;
    if ('param' in handler) {
      const arg = args[handler.param];
      const target = arg && ('handler' in arg ? arg.handler : arg.name.kind === 'ref' ? refTarget(arg.name.ref) : undefined);
      if (!target) return undefined;
      return calls.resolveTarget(caller.file, target, calls.ownClass(caller)) ?? target;
    }
    if ('self' in handler) {
      if (receiver) return calls.resolveTarget(ownerFile, handler, receiver) ?? (polymorphic ? handler : undefined);
      return polymorphic ? handler : undefined;
    }
    return calls.resolveTarget(ownerFile, handler);
  }

  /**
   * An inline handler that only forwards to the wrapper's callback (`eachMessage: ({ message }) =>
   * handler(message)`) or to a method each subclass implements (`this.onMessage(data)`): the
   * callback, or the subclass's method, is the real handler of each instance.
   */
  function forwardedHandler(
    handler: FunctionRef,
    ownerFile: string,
    caller: FunctionRef,
    args: ReadonlyArray<ArgValue | null>,
    receiver: ClassTarget | undefined,
    polymorphic: boolean,
  ): Template['handler'] {
    for (const call of calls.functionSummary(handler)?.calls ?? []) {
      if ('param' in call.target && call.target.of !== undefined) {
        const forwarded = substituteHandler({ param: call.target.param }, ownerFile, caller, args, receiver, polymorphic);
        if (forwarded) return forwarded;
      }
      if ('self' in call.target && receiver) {
        const own = calls.resolveTarget(handler.file, call.target, calls.ownClass(handler));
        const method = calls.resolveTarget(ownerFile, call.target, receiver);
        if (method && (!own || globalFunctionId(own) !== globalFunctionId(method))) return method;
      }
    }
    return handler;
  }
}

function writtenAs(template: Template): { expression?: string } {
  const name = template.draft.name;
  return name.kind === 'literal' ? {} : { expression: name.text };
}

function usesThis(expression: NameExpr): boolean {
  return expression.kind === 'ref' && expression.ref.name === 'this';
}

function refTarget(ref: { name: string; path?: string[] }): CallTarget | undefined {
  if (ref.name !== 'this') return { ref };
  const [method, ...rest] = ref.path ?? [];
  return method && rest.length === 0 ? { self: method } : undefined;
}

/** What a caller's text must contain: a call of the function's name, or an import that renames it. */
function tokensOf(template: Template): string[] {
  const name = terminalName(template.owner.id);
  return [`${name}(`, `${name} as `];
}

function terminalName(functionId: string): string {
  const withoutLine = functionId.replace(/@\d+$/, '');
  return withoutLine.slice(Math.max(withoutLine.lastIndexOf('.'), withoutLine.lastIndexOf('/')) + 1);
}

/** The names a call may reach a function by: as written, and the export that an aliased import renames. */
function calledNames(target: CallTarget, imports: readonly ImportBinding[]): string[] {
  const name = targetName(target);
  if (!name) return [];
  if (!('ref' in target) || target.ref.path?.length) return [name];
  const imported = imports.find((binding) => binding.local === target.ref.name)?.imported;
  return imported && imported !== name && imported !== '*' && imported !== 'default' ? [name, imported] : [name];
}

function targetName(target: CallTarget): string | undefined {
  if ('fn' in target) return terminalName(target.fn);
  if ('self' in target) return target.self;
  if ('ref' in target) return target.ref.path?.at(-1) ?? target.ref.name;
  if ('typed' in target) return target.path.at(-1);
  return undefined;
}

function originKey(template: Template): string {
  return `${template.origin.file}:${template.origin.line}:${template.origin.column}`;
}

function templateKey(template: Template): string {
  return `${globalFunctionId(template.owner)}\0${template.origin.file}:${template.origin.line}:${template.origin.column}\0${JSON.stringify(template.name)}`;
}
