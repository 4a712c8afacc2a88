import path from 'node:path';
import { parse as parseJsonc, type ParseError } from 'jsonc-parser';
import { ts } from 'ts-morph';
import { expect } from 'vitest';
import { analyze } from '../../src/analyze.js';
import { ConfigError } from '../../src/config/types.js';
import type { Declaration, Result } from '../../src/model/result.js';
import { renderJson } from '../../src/report/json.js';
import { schemaErrors } from '../helpers.js';
import type { ExpectedDeclaration, GeneratedRepo } from './render-repo.js';

export type Outcome = { result: Result } | { error: unknown };

/** analyze() on the written repository, with whatever it throws caught for the checks to judge. */
export async function analyzeRepo(dir: string): Promise<Outcome> {
  try {
    return { result: await analyze({ dir }) };
  } catch (error) {
    return { error };
  }
}

/**
 * Nothing but a ConfigError escapes, and only for a config that may be rejected: one line, naming
 * the config file and a line inside it.
 */
export function expectOutcomeAllowed(repo: GeneratedRepo, dir: string, outcome: Outcome): outcome is { result: Result } {
  if ('result' in outcome) {
    expect(repo.config?.outcome, 'a config that must be rejected was accepted').not.toBe('rejected');
    return true;
  }
  const { error } = outcome;
  if (!(error instanceof ConfigError) || !repo.config || repo.config.outcome === 'accepted') throw error;
  expect(error.file).toBe(path.join(dir, repo.config.path));
  expect(error.message).not.toMatch(/\n/);
  if (error.line !== undefined) {
    expect(error.line).toBeGreaterThanOrEqual(1);
    expect(error.line).toBeLessThanOrEqual(repo.config.text.split('\n').length);
  }
  return false;
}

/** The result document is valid, consistent, and every declaration and diagnostic points into the input. */
export function expectWellFormed(repo: GeneratedRepo, result: Result): void {
  expect(schemaErrors(result)).toEqual([]);
  const ids = new Set(result.declarations.map((declaration) => declaration.id));
  expect(ids.size).toBe(result.declarations.length);
  expect(result.stats.declarations).toBe(result.declarations.length);
  for (const handler of result.handlers) for (const id of handler.subscribes) expect(ids).toContain(id);
  for (const handler of result.handlers) for (const trigger of handler.triggers) expect(ids).toContain(trigger.declaration);
  for (const edge of result.topology.edges) expect(ids).toContain(edge.declaration);

  const files = new Map(repo.files.map((file) => [file.path, file.content.replace(/^\uFEFF/, '').split('\n').map((line) => line.replace(/\r$/, ''))]));
  for (const declaration of result.declarations) {
    const lines = files.get(declaration.file);
    expect(lines, `${declaration.id}: no such file`).toBeDefined();
    const text = lines![declaration.line - 1];
    expect(text, `${declaration.id}: line ${declaration.line} is past the end of the file`).toBeDefined();
    expect(declaration.column).toBeGreaterThanOrEqual(1);
    expect(declaration.column, `${declaration.id}: column past the end of the line`).toBeLessThanOrEqual(text!.length + 1);
    const at = text!.slice(declaration.column - 1);
    // In the broken file the parser recovers as it can: a declaration there starts at some token.
    if (declaration.file === repo.broken?.file) {
      expect(at, `${declaration.id}: no token at its column`).toMatch(/^\S/);
      continue;
    }
    const heads = repo.heads[declaration.file] ?? [];
    expect(heads.some((head) => at.startsWith(head)), `${declaration.id}: "${at}" is not where the generator wrote a site (${heads.join(', ')})`).toBe(true);
  }

  const locations = [
    ...result.handlers.flatMap((handler) => [handler, ...(handler.effects ?? []), ...(handler.guards ?? [])]),
    ...result.findings.flatMap((finding) => [finding.location, ...finding.related]),
  ];
  for (const location of locations) {
    const text = files.get(location.file)?.[location.line - 1];
    expect(text, `${location.file}:${location.line}:${location.column} is not a line of the input`).toBeDefined();
    expect(location.column, `${location.file}:${location.line}:${location.column} is past the end of its line`).toBeLessThanOrEqual(text!.length + 1);
  }

  // A mutated config is read as a data file too (an AsyncAPI candidate): it may be the one named.
  const brokenFiles = [repo.broken?.file, repo.config?.outcome === 'either' ? repo.config.path : undefined].filter(Boolean);
  for (const diagnostic of result.diagnostics) {
    expect(diagnostic.message, 'a diagnostic is one line').not.toMatch(/[\r\n]/);
    expect(brokenFiles, `unexpected diagnostic ${diagnostic.code} ${diagnostic.file}: ${diagnostic.message}`).toContain(diagnostic.file);
    if (diagnostic.line !== undefined) {
      expect(diagnostic.line).toBeGreaterThanOrEqual(1);
      expect(diagnostic.line).toBeLessThanOrEqual(files.get(diagnostic.file!)!.length);
    }
  }
}

/** How far read-source.ts looks for a NUL byte, the sign of a binary file (generated files are ASCII there). */
const BINARY_PROBE_BYTES = 8000;

/**
 * The broken file is reported when the analysis reads it: a NUL byte as not source text, invalid JSON
 * in a manifest, a syntax error in a source file the prefilter selects.
 */
export function expectBreakageReported(repo: GeneratedRepo, result: Result): void {
  const broken = repo.broken && repo.files.find((file) => file.path === repo.broken!.file);
  if (!broken) return;
  const named = result.diagnostics.filter((diagnostic) => diagnostic.file === broken.path).map((diagnostic) => diagnostic.code);
  const codes = named;
  const text = broken.content.replace(/^\uFEFF/, '');
  const isSource = /\.[jt]s$/.test(broken.path);
  if (text.slice(0, BINARY_PROBE_BYTES).includes('\0')) {
    expect(codes, `${broken.path} holds a NUL byte`).toEqual([isSource ? 'read-error' : 'manifest-error']);
  } else if (!isSource) {
    if (!isJsonObject(text)) expect(codes, `${broken.path} is not a JSON object`).toEqual(['manifest-error']);
  } else if (repo.seedTokens.some((token) => text.includes(token)) && hasSyntaxErrors(broken.path, text)) {
    expect(codes, `${broken.path} has syntax errors`).toContain('parse-error');
  }
}

function isJsonObject(text: string): boolean {
  const errors: ParseError[] = [];
  const value: unknown = parseJsonc(text, errors, { allowTrailingComma: true });
  return errors.length === 0 && typeof value === 'object' && value !== null && !Array.isArray(value);
}

function hasSyntaxErrors(file: string, text: string): boolean {
  const sourceFile = ts.createSourceFile(file, text, ts.ScriptTarget.Latest, false, file.endsWith('.js') ? ts.ScriptKind.JS : ts.ScriptKind.TS);
  return ((sourceFile as unknown as { parseDiagnostics?: unknown[] }).parseDiagnostics?.length ?? 0) > 0;
}

/** For code as generated (nothing broken, the config accepted): exactly the declarations the generator wrote. */
export function expectModel(repo: GeneratedRepo, result: Result): void {
  const actual = [...new Set(result.declarations.map(keyOf))].sort();
  const expected = [...new Set(repo.expected.map(keyOf))].sort();
  expect(actual).toEqual(expected);
}

export function isExact(repo: GeneratedRepo): boolean {
  return !repo.broken && (!repo.config || repo.config.outcome === 'accepted');
}

/** What the model and the result are compared on. */
function keyOf(d: ExpectedDeclaration | Declaration): string {
  return `${d.file}:${d.line}:${d.column} ${d.kind} ${d.event}${d.dynamic ? ' (dynamic)' : ''} | ${d.service} | ${d.framework}/${d.transport}`;
}

/** Two outcomes are the same: byte-identical JSON, or the same config error at the same place. */
export function expectSameOutcome(first: Outcome, second: Outcome): void {
  if ('result' in first && 'result' in second) {
    expect(renderJson(second.result)).toBe(renderJson(first.result));
    return;
  }
  const describe = (outcome: Outcome) =>
    'result' in outcome ? 'a result' : outcome.error instanceof ConfigError ? `${outcome.error.line}:${outcome.error.column} ${outcome.error.message}` : String(outcome.error);
  expect(describe(second)).toBe(describe(first));
}
