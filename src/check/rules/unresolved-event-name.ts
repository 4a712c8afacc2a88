import { localFunctionName, locationOf } from '../describe.js';
import type { Rule } from '../types.js';

export const unresolvedEventName: Rule<Record<string, never>> = {
  meta: {
    id: 'unresolved-event-name',
    description: 'A publish or subscribe whose event name could not be resolved statically.',
    defaultSeverity: 'warn',
    docs: 'docs/rules/unresolved-event-name.md',
    schema: { type: 'object', additionalProperties: false, properties: {} },
    defaultOptions: {},
  },
  create(context) {
    return {
      topology(topology) {
        for (const declaration of topology.input.declarations) {
          if (!declaration.dynamic) continue;
          const written = !declaration.expression ? 'this expression' : declaration.expression.startsWith('`') ? declaration.expression : `\`${declaration.expression}\``;
          const pattern = declaration.event !== '*' ? ` (known part: ${declaration.event})` : '';
          const where = declaration.function ?? declaration.handler;
          context.report({
            message: `The event name of this ${declaration.kind} could not be resolved statically: ${written}${pattern}`,
            location: locationOf(declaration),
            identity: [declaration.kind, declaration.file, where ? localFunctionName(where) : '', declaration.expression ?? '', declaration.event],
            data: { kind: declaration.kind, pattern: declaration.event, ...(declaration.expression ? { expression: declaration.expression } : {}) },
          });
        }
      },
    };
  },
};
