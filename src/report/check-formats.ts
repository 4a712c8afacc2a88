import { renderJson } from './json.js';
import { renderStylish } from './stylish.js';
import type { CheckRenderOptions, Reporter } from './types.js';

/** Formats of `choreolint check`. The exit code never depends on the format. */
export const CHECK_FORMATS: Record<string, Reporter<CheckRenderOptions>> = {
  stylish: (result, options) => renderStylish(result, options),
  json: (result) => renderJson(result),
};
