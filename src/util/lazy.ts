import { createRequire } from 'node:module';
import type * as AjvModule from 'ajv';
import type * as Yaml from 'yaml';

const require = createRequire(import.meta.url);

/**
 * A module loaded the first time it is used. Start-up time is part of every pre-commit run:
 * libraries that most runs never need (YAML, JSON Schema validation) are not loaded up front.
 */
export function lazyModule<T>(id: string): () => T {
  let loaded: T | undefined;
  return () => (loaded ??= require(id) as T);
}

export const yamlModule = lazyModule<typeof Yaml>('yaml');
export const ajvModule = lazyModule<typeof AjvModule>('ajv');
