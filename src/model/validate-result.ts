import type { ValidateFunction } from 'ajv';
import { ajvModule } from '../util/lazy.js';
import resultSchema from '../schema/result.schema.json' with { type: 'json' };
import { RESULT_VERSION, type Result } from './result.js';

let validate: ValidateFunction | undefined;

/** Why a JSON value is not a result document of this version, or undefined when it is one. */
export function resultDocumentProblem(value: unknown): string | undefined {
  if (typeof value === 'object' && value !== null && 'version' in value && value.version !== RESULT_VERSION) {
    return `result document version ${String(value.version)} is not supported (this choreolint reads version ${RESULT_VERSION})`;
  }
  validate ??= new (ajvModule().Ajv)({ allErrors: false, strict: false, validateFormats: false }).compile(resultSchema);
  if (validate(value)) return undefined;
  const error = validate.errors?.[0];
  return `not a choreolint result document: ${error?.instancePath || '(root)'} ${error?.message ?? 'is invalid'}`;
}

export function isResultDocument(value: unknown): value is Result {
  return resultDocumentProblem(value) === undefined;
}
