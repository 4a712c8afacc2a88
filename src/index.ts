/** The programmatic API: `analyze(options) → Promise<Result>`, and the types of the result document. */
export { analyze, type AnalyzeOptions } from './analyze.js';
export { ConfigError, type Config } from './config/types.js';
export { UsageError } from './model/errors.js';
export type * from './model/result.js';
export { RESULT_VERSION } from './model/result.js';
export { CHECK_FORMATS, GRAPH_FORMATS } from './report/index.js';
export { VERSION } from './version.js';
