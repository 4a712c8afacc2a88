import type { ProjectLayout } from '../model/project.js';
import type { Declaration, Handler, Service, Trigger } from '../model/result.js';
import type { DeclarationDraft, SummarySource } from '../model/summary.js';
import { compareBy } from '../util/compare.js';
import { BindingResolver } from './bindings.js';
import { CallGraph, globalFunctionId, type FunctionRef } from './call-graph.js';
import { createModuleResolver } from './module-resolution.js';
import { resolveName } from './names.js';

export interface LinkOptions {
  maxCallDepth: number;
}

/** Declarations with resolved names, handlers with their trigger sets, and the services that own them. */
export interface LinkedModel {
  services: Service[];
  declarations: Declaration[];
  handlers: Handler[];
}

export function linkProject(layout: ProjectLayout, summaries: SummarySource, options: LinkOptions): LinkedModel {
  const bindings = new BindingResolver(summaries, createModuleResolver(layout));
  const calls = new CallGraph(bindings, options.maxCallDepth);
  const declarations: Declaration[] = [];
  const handlerTargets = new Map<string, FunctionRef | undefined>();

  for (const file of summaries.seeds()) {
    const summary = summaries.get(file);
    const service = layout.fileServices.get(file) ?? '';
    for (const draft of summary?.declarations ?? []) {
      if (draft.requires && !bindings.isA(file, draft.requires.receiver, draft.requires.oneOf)) continue;
      const declaration = linkDeclaration(file, service, draft);
      if (draft.kind === 'subscribe') {
        const target = draft.handler && calls.resolveTarget(file, draft.handler);
        const found = target && calls.functionSummary(target) ? target : undefined;
        declaration.handler = found ? globalFunctionId(found) : declaration.id;
        handlerTargets.set(declaration.handler, found);
      }
      declarations.push(declaration);
    }
  }
  declarations.sort(compareBy<Declaration>((d) => d.file, (d) => d.line, (d) => d.column, (d) => d.kind, (d) => d.event));
  const unique = declarations.filter((declaration, index) => index === 0 || declarations[index - 1]!.id !== declaration.id);

  const handlers = linkHandlers(unique, handlerTargets, calls);
  const usedServices = new Set(unique.map((declaration) => declaration.service));
  const services = layout.services.filter((service) => usedServices.has(service.name));
  return { services, declarations: unique, handlers };

  function linkDeclaration(file: string, service: string, draft: DeclarationDraft): Declaration {
    const name = resolveName(bindings, file, draft.name);
    const expression = draft.name.kind === 'literal' ? undefined : draft.name.text;
    return {
      id: `${file}:${draft.line}:${draft.column}:${draft.kind}:${name.event}`,
      kind: draft.kind,
      event: name.event,
      service,
      framework: draft.framework,
      transport: draft.transport,
      file,
      line: draft.line,
      column: draft.column,
      resolution: name.resolution,
      dynamic: name.dynamic,
      ...(expression ? { expression } : {}),
      ...(draft.match ? { match: draft.match } : {}),
      ...(draft.kind === 'publish' && draft.function ? { function: `${file}#${draft.function}` } : {}),
    };
  }
}

function linkHandlers(declarations: Declaration[], targets: Map<string, FunctionRef | undefined>, calls: CallGraph): Handler[] {
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
    handlers.set(declaration.handler, {
      id: declaration.handler,
      name: target?.id ?? '(handler not found)',
      service: declaration.service,
      file: target?.file ?? declaration.file,
      line: location?.line ?? declaration.line,
      column: location?.column ?? declaration.column,
      subscribes: [declaration.id],
      triggers: target ? triggersOf(target) : [],
      ...(target ? {} : { unresolved: true }),
    });
  }
  return [...handlers.values()].sort(compareBy<Handler>((h) => h.id));

  function triggersOf(start: FunctionRef): Trigger[] {
    const triggers: Trigger[] = [];
    const seen = new Set<string>();
    for (const reached of calls.reachable(start)) {
      for (const publish of publishesByFunction.get(globalFunctionId(reached)) ?? []) {
        if (seen.has(publish.id)) continue;
        seen.add(publish.id);
        triggers.push({ declaration: publish.id, event: publish.event, via: reached.via });
      }
    }
    return triggers.sort(compareBy<Trigger>((t) => t.declaration));
  }
}
