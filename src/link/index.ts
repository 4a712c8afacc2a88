import type { ProjectLayout } from '../model/project.js';
import type { Declaration, Handler, HandlerEffect, HandlerGuard, Route, Service, Trigger } from '../model/result.js';
import { MODULE_FUNCTION, type CallTarget, type DeclarationDraft, type EventBranch, type SummarySource, type SuppressionComment } from '../model/summary.js';
import { DeclaredServices } from './declared-services.js';
import { compareBy } from '../util/compare.js';
import { BindingResolver } from './bindings.js';
import { CallGraph, globalFunctionId, type FunctionRef, type ReachMemory } from './call-graph.js';
import { createModuleResolver } from './module-resolution.js';
import { alternatives, resolveBranch, resolveEventName, type ResolvedBranch } from './names.js';
import { ReadTracker } from './read-tracker.js';
import { instantiateTemplates, isTemplateName, type Instance, type Template } from './templates.js';

export interface LinkOptions {
  maxCallDepth: number;
  /** Document path → service name, for documents that declare their own service (AsyncAPI). */
  documentServices?: Readonly<Record<string, string>>;
  /** What handlers reached in earlier runs over the same layout and config (a daemon keeps it). */
  reachMemory?: ReachMemory;
}

/** Declarations with resolved names, handlers with their trigger sets, routes, and the services that own them. */
export interface LinkedModel {
  services: Service[];
  declarations: Declaration[];
  routes: Route[];
  handlers: Handler[];
  /** Suppression comments of every file read, by file and line. */
  suppressions: Array<SuppressionComment & { file: string }>;
  /** How many functions' reach (handlers') came from earlier runs (LinkOptions.reachMemory), and how many were walked. */
  reach: { remembered: number; computed: number };
}

export function linkProject(layout: ProjectLayout, summaries: SummarySource, options: LinkOptions): LinkedModel {
  const modules = createModuleResolver(layout);
  const bindings = new BindingResolver(summaries, modules, new ReadTracker(options.reachMemory !== undefined));
  const calls = new CallGraph(bindings, modules, options.maxCallDepth, options.reachMemory);
  const fileServiceOf = (file: string) => layout.fileServices.get(file) ?? '';
  const declaredServices = new DeclaredServices(layout, options.documentServices ?? {});
  const serviceOf = (file: string, draft?: DeclarationDraft) => (draft?.service ? declaredServices.name(file, draft.service) : fileServiceOf(file));
  const declarations: Declaration[] = [];
  const handlerTargets = new Map<string, FunctionRef | undefined>();
  const handlerNames = new Map<string, string>();
  /** The branch a publish sits in, when it sits in a handler's branch for some events only. */
  const guards = new Map<string, ResolvedBranch>();
  const templates: Template[] = [];
  const routes: Route[] = [];

  for (const file of summaries.seeds()) {
    const summary = summaries.get(file);
    for (const draft of summary?.declarations ?? []) {
      if (draft.requires && !bindings.isA(file, draft.requires.receiver, draft.requires.oneOf)) continue;
      const owner: FunctionRef = { file, id: draft.function ?? MODULE_FUNCTION };
      const handler = draft.kind === 'subscribe' && draft.handler ? resolveHandler(file, draft.handler, owner) : undefined;
      const polymorphicHandler =
        draft.handler !== undefined && ('param' in draft.handler || ('self' in draft.handler && !handler) || (handler !== undefined && forwardsToCaller(handler, owner)));
      if (isTemplateName(draft.name) || (draft.kind === 'subscribe' && polymorphicHandler)) {
        templates.push({
          owner,
          draft,
          name: draft.name,
          ...(draft.handler ? { handler: handler ?? draft.handler } : {}),
          wrapper: globalFunctionId(owner),
          origin: { file, line: draft.line, column: draft.column },
        });
        continue;
      }
      addDeclaration({ file, line: draft.line, column: draft.column, draft, name: draft.name, ...(draft.function ? { function: owner } : {}), ...(handler ? { handler } : {}) }, draft.guard);
    }
    for (const route of summary?.routes ?? []) {
      const from = resolveEventName(bindings, file, route.from);
      const to = resolveEventName(bindings, file, route.to);
      routes.push({
        id: `${file}:${route.line}:${route.column}:route:${from.event}>${to.event}`,
        from: from.event,
        ...(route.fromMatch ? { match: route.fromMatch } : {}),
        to: to.event,
        service: serviceOf(file),
        framework: route.framework,
        transport: route.transport,
        file,
        line: route.line,
        column: route.column,
        dynamic: from.dynamic || to.dynamic,
      });
    }
  }

  const { instances, unused } = instantiateTemplates(templates, bindings, calls, (tokens) => summaries.scan(tokens), () => summaries.loaded());
  for (const instance of instances) addDeclaration(instance, instance.guard);
  for (const template of unused) {
    const handler = template.handler && 'id' in template.handler ? template.handler : undefined;
    addDeclaration({ ...template.origin, draft: template.draft, name: template.name, function: template.owner, ...(handler ? { handler } : {}) }, template.draft.guard);
  }

  declarations.sort(compareBy<Declaration>((d) => d.file, (d) => d.line, (d) => d.column, (d) => d.kind, (d) => d.event));
  const unique = declarations.filter((declaration, index) => index === 0 || declarations[index - 1]!.id !== declaration.id);
  const handlers = linkHandlers(unique, handlerTargets, handlerNames, guards, calls, bindings);
  const usedServices = new Set([...unique.map((declaration) => declaration.service), ...routes.map((route) => route.service)]);
  const services: Service[] = layout.services.filter((service) => usedServices.has(service.name));
  for (const declaration of unique) {
    if (services.some((service) => service.name === declaration.service)) continue;
    services.push({ name: declaration.service, path: declaration.file, source: 'document' });
  }
  services.sort(compareBy<Service>((service) => service.name));
  const suppressions = [...summaries.loaded()]
    .sort()
    .flatMap((file) => (summaries.get(file)?.suppressions ?? []).map((comment) => ({ ...comment, file })));
  return { services, declarations: unique, routes: routes.sort(compareBy<Route>((r) => r.id)), handlers, suppressions, reach: { ...calls.reach } };

  /** An inline handler that calls the wrapper's callback parameter, or a method of `this` with no body here. */
  function forwardsToCaller(handler: FunctionRef, owner: FunctionRef): boolean {
    return (calls.functionSummary(handler)?.calls ?? []).some(
      (call) =>
        ('param' in call.target && call.target.of === owner.id) ||
        ('self' in call.target && !calls.resolveTarget(handler.file, call.target, calls.ownClass(handler))),
    );
  }

  function resolveHandler(file: string, target: CallTarget, owner: FunctionRef): FunctionRef | undefined {
    const resolved = calls.resolveTarget(file, target, calls.ownClass(owner));
    return resolved && calls.functionSummary(resolved) ? { file: resolved.file, id: resolved.id } : undefined;
  }

  function addDeclaration(site: Omit<Instance, 'wrapper'> & { wrapper?: string }, guard?: EventBranch): void {
    const options = alternatives(site.name);
    if (options.length > 1) {
      const written = 'text' in site.name ? site.name.text : undefined;
      for (const option of options) addDeclaration({ ...site, name: option, ...(written ? { expression: written } : {}) }, guard);
      return;
    }
    const { draft, file } = site;
    const name = resolveEventName(bindings, file, site.name);
    const expression = site.name.kind === 'literal' ? (site.name.value === '' ? "''" : site.expression) : 'text' in site.name ? site.name.text : site.expression;
    const declaration: Declaration = {
      id: `${file}:${site.line}:${site.column}:${draft.kind}:${name.event}`,
      kind: draft.kind,
      event: name.event,
      service: serviceOf(file, draft),
      framework: draft.framework,
      transport: draft.transport,
      file,
      line: site.line,
      column: site.column,
      resolution: name.resolution,
      dynamic: name.dynamic,
      ...(expression ? { expression } : {}),
      ...(draft.match ? { match: draft.match } : {}),
      ...(draft.kind === 'publish' && site.function ? { function: globalFunctionId(site.function) } : {}),
      ...(site.wrapper ? { wrapper: site.wrapper } : {}),
    };
    if (draft.kind === 'subscribe') {
      const handler = site.handler && calls.functionSummary(site.handler) ? site.handler : undefined;
      declaration.handler = handler ? globalFunctionId(handler) : declaration.id;
      handlerTargets.set(declaration.handler, handler);
      if (!handler && draft.handlerName) handlerNames.set(declaration.handler, draft.handlerName);
    }
    if (guard && draft.kind === 'publish') {
      const resolved = resolveBranch(bindings, file, guard);
      if (resolved) guards.set(declaration.id, resolved);
    }
    declarations.push(declaration);
  }
}

function linkHandlers(
  declarations: Declaration[],
  targets: Map<string, FunctionRef | undefined>,
  names: Map<string, string>,
  guards: Map<string, ResolvedBranch>,
  calls: CallGraph,
  bindings: BindingResolver,
): Handler[] {
  const publishesByFunction = new Map<string, Declaration[]>();
  for (const declaration of declarations) {
    if (declaration.kind !== 'publish' || !declaration.function) continue;
    const list = publishesByFunction.get(declaration.function) ?? [];
    list.push(declaration);
    publishesByFunction.set(declaration.function, list);
  }

  const handlers = new Map<string, Handler>();
  for (const declaration of declarations) {
    if (declaration.kind !== 'subscribe' || !declaration.handler) continue;
    const existing = handlers.get(declaration.handler);
    if (existing) {
      existing.subscribes.push(declaration.id);
      continue;
    }
    const target = targets.get(declaration.handler);
    const location = target && calls.functionSummary(target);
    const evidence = target ? evidenceOf(target) : {};
    handlers.set(declaration.handler, {
      id: declaration.handler,
      name: target?.id ?? names.get(declaration.handler) ?? '(handler not found)',
      service: declaration.service,
      file: target?.file ?? declaration.file,
      line: location?.line ?? declaration.line,
      column: location?.column ?? declaration.column,
      subscribes: [declaration.id],
      triggers: target ? triggersOf(target) : [],
      ...(target || names.has(declaration.handler) ? {} : { unresolved: true }),
      ...evidence,
    });
  }
  return [...handlers.values()].sort(compareBy<Handler>((h) => h.id));

  /** The effects and guards in the functions the handler reaches. */
  function evidenceOf(start: FunctionRef): Pick<Handler, 'effects' | 'guards'> {
    const effects: HandlerEffect[] = [];
    const guards: HandlerGuard[] = [];
    for (const reached of calls.reachable(start)) {
      const summary = calls.functionSummary(reached);
      for (const effect of summary?.effects ?? []) effects.push({ ...effect, file: reached.file, via: reached.via });
      for (const guard of summary?.guards ?? []) guards.push({ ...guard, file: reached.file, via: reached.via });
    }
    const unique = <T extends { file: string; line: number; column: number }>(items: T[]) =>
      [...new Map(items.map((item) => [`${item.file}:${item.line}:${item.column}`, item])).values()];
    return {
      ...(effects.length > 0 ? { effects: unique(effects) } : {}),
      ...(guards.length > 0 ? { guards: unique(guards) } : {}),
    };
  }

  function triggersOf(start: FunctionRef): Trigger[] {
    const triggers = new Map<string, Trigger>();
    for (const reached of calls.reachable(start)) {
      const reachedBranch = reached.when && resolveBranch(bindings, start.file, reached.when);
      for (const publish of publishesByFunction.get(globalFunctionId(reached)) ?? []) {
        const branch = reached.via.length === 0 ? guards.get(publish.id) : reachedBranch;
        const key = `${publish.id}\0${JSON.stringify(branch ?? {})}`;
        if (triggers.has(key)) continue;
        triggers.set(key, { declaration: publish.id, event: publish.event, via: reached.via, ...(branch ?? {}) });
      }
    }
    return [...triggers.values()].sort(compareBy<Trigger>((t) => t.declaration, (t) => t.when ?? '', (t) => (t.unless ?? []).join(',')));
  }
}
