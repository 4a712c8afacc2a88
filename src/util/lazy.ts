import { createRequire } from 'node:module';

const require = createRequire(import.meta.url);

/**
 * A module loaded the first time it is used. Start-up time is part of every pre-commit run:
 * libraries that most runs never need (YAML, JSON Schema validation) are not loaded up front.
 */
export function lazyModule<T>(id: string): () => T {
  let loaded: T | undefined;
  return () => (loaded ??= require(id) as T);
}

export const yamlModule = lazyModule<typeof import('yaml')>('yaml');
export const ajvModule = lazyModule<typeof import('ajv')>('ajv');
