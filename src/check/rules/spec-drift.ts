import { compilePattern } from '../../graph/patterns.js';
import { RPC_TRANSPORT } from '../../graph/topology.js';
import type { Declaration } from '../../model/result.js';
import { locationOf, publishedBy } from '../describe.js';
import type { Rule } from '../types.js';

const SPEC_FRAMEWORK = 'asyncapi';

export const specDrift: Rule<Record<string, never>> = {
  meta: {
    id: 'spec-drift',
    description: 'Code and AsyncAPI document disagree about what a service sends or receives.',
    defaultSeverity: 'warn',
    docs: 'docs/rules/spec-drift.md',
    schema: { type: 'object', additionalProperties: false, properties: {} },
    defaultOptions: {},
  },
  create(context) {
    return {
      topology(topology) {
        const byService = new Map<string, { code: Declaration[]; spec: Declaration[] }>();
        for (const declaration of topology.input.declarations) {
          if (declaration.transport === 'in-process' || declaration.transport === RPC_TRANSPORT) continue;
          const entry = byService.get(declaration.service) ?? { code: [], spec: [] };
          (declaration.framework === SPEC_FRAMEWORK ? entry.spec : entry.code).push(declaration);
          byService.set(declaration.service, entry);
        }
        for (const [service, { code, spec }] of byService) {
          if (code.length === 0 || spec.length === 0) continue;
          const documents = [...new Set(spec.map((declaration) => declaration.file))].join(', ');
          for (const declaration of code) {
            if (declaration.dynamic || spec.some((candidate) => candidate.kind === declaration.kind && sameChannel(candidate, declaration))) continue;
            const verb = declaration.kind === 'publish' ? 'publishes' : 'subscribes to';
            const operation = declaration.kind === 'publish' ? 'send' : 'receive';
            context.report({
              message: `${publishedBy(declaration)} ${verb} ${declaration.event}, but the AsyncAPI document of ${service} (${documents}) declares no ${operation} operation for it`,
              location: locationOf(declaration),
              identity: [service, declaration.kind, declaration.event, 'code'],
              data: { service, side: 'code', kind: declaration.kind, event: declaration.event },
            });
          }
          for (const declaration of spec) {
            if (declaration.dynamic || code.some((candidate) => candidate.kind === declaration.kind && sameChannel(declaration, candidate))) continue;
            const operation = declaration.kind === 'publish' ? 'sends' : 'receives';
            const verb = declaration.kind === 'publish' ? 'publishes' : 'subscribes to';
            context.report({
              message: `The AsyncAPI document declares that ${service} ${operation} ${declaration.event}, but its code never ${verb} it`,
              location: locationOf(declaration),
              identity: [service, declaration.kind, declaration.event, 'spec'],
              data: { service, side: 'spec', kind: declaration.kind, event: declaration.event },
            });
          }
        }
      },
    };
  },
};

/**
 * The document's channel and the code's name denote the same channel: equal names, a
 * parameterised address (`user/{id}/signedup`) or pattern in the document matching the code's
 * name, or a pattern in the code matching the document's address.
 */
function sameChannel(spec: Declaration, code: Declaration): boolean {
  if (spec.event === code.event) return true;
  const specPattern = spec.match ?? (/\{[^}]+\}/.test(spec.event) ? 'glob' : undefined);
  const specText = spec.match ? spec.event : spec.event.replace(/\{[^}]+\}/g, '*');
  if (specPattern && compilePattern(specPattern, specText)(code.event)) return true;
  return code.match !== undefined && compilePattern(code.match, code.event)(spec.event);
}
