import type { Result } from '../model/result.js';

/** A format: a pure function of the result document (and display options) to text. */
export type Reporter<Options> = (result: Result, options: Options) => string;

export interface CheckRenderOptions {
  color: boolean;
}
