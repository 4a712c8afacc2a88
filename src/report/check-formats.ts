import { renderCompact } from './compact.js';
import { renderGithub } from './github.js';
import { renderJson } from './json.js';
import { renderJunit } from './junit.js';
import { renderMarkdown } from './markdown.js';
import { renderSarif } from './sarif.js';
import { renderStylish } from './stylish.js';
import type { CheckRenderOptions, Reporter } from './types.js';

/** Formats of `choreolint check` (docs/formats.md). The exit code never depends on the format. */
export const CHECK_FORMATS: Record<string, Reporter<CheckRenderOptions>> = {
  stylish: (result, options) => renderStylish(result, options),
  json: (result) => renderJson(result),
  compact: (result) => renderCompact(result),
  github: (result) => renderGithub(result),
  junit: (result) => renderJunit(result),
  markdown: (result) => renderMarkdown(result),
  sarif: (result) => renderSarif(result),
};
