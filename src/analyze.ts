import { createHash } from 'node:crypto';
import path from 'node:path';
import { discoverWithCache } from './cache/discovery-cache.js';
import { cachesAreResident } from './cache/resident.js';
import { parseCachedDocument, readResultCache, writeCachedResult, type ResultInputs } from './cache/result-cache.js';
import { contentKey, openSummaryCache } from './cache/summary-cache.js';
import { loadTypeScriptWithCodeCache } from './cache/typescript-code-cache.js';
import { configureRules } from './check/configure.js';
import type { ConfiguredRule } from './check/types.js';
import { wildcardMatcher } from './util/regexp.js';
import { runRules } from './check/run.js';
import { parseConfigText } from './config/load.js';
import { defaultConfig } from './config/defaults.js';
import { ConfigError, type Config } from './config/types.js';
import { suggestClosest } from './config/suggest.js';
import { discoverProject, findConfigFile, readConfigFile, type SourceText } from './discover/index.js';
import { declaredAdapter } from './extract/adapters/declared.js';
import { ADAPTERS, selectAdapters } from './extract/adapters/index.js';
import { mergeVocabulary, type EffectVocabulary } from './extract/effects.js';
import { extractFileSummary } from './extract/extract-file.js';
import { createSummaryStore, loadsAsBefore } from './extract/store.js';
import { loadTypeScript } from './extract/typescript.js';
import { mergeResults } from './graph/merge.js';
import { buildTopology } from './graph/topology.js';
import type { ReachMemory } from './link/call-graph.js';
import { linkProject } from './link/index.js';
import { docsUrl } from './model/docs.js';
import type { ProjectLayout } from './model/project.js';
import { RESULT_VERSION, type Diagnostic, type Result } from './model/result.js';
import { RunFiles } from './run-files.js';
import { compareBy } from './util/compare.js';
import { buildStamp, VERSION } from './version.js';

export interface AnalyzeOptions {
  /** The directory to analyze (default: the current directory). */
  dir?: string;
  /** A config file to use instead of the choreolint.yaml found by walking up from `dir`. */
  configFile?: string;
  /** Config values that override the file's (programmatic use). */
  config?: Partial<Omit<Config, 'file' | 'dir'>>;
  /** Result documents of other repositories, whose topology joins this one's. */
  with?: Result[];
  /** Keep per-file summaries in this directory between runs (a warm run parses only changed files). */
  cacheLocation?: string;
  /**
   * File contents to analyze instead of the working tree's (the staged content, for `--staged`):
   * a text, or what reading it gave (a text with its warning, or why it cannot be analyzed).
   */
  contents?: ReadonlyMap<string, string | SourceText>;
  /** Filled in with what the run did (how many files it parsed, how many came from the cache). */
  metrics?: RunMetrics;
  /** Called as the run goes through its stages (for progress output on a terminal). */
  onProgress?: (progress: Progress) => void;
}

export interface RunMetrics {
  filesRead: number;
  filesParsed: number;
  cacheHits: number;
  /** True when discovery was taken from the cached run's: no directory, .gitignore or manifest it read has changed. */
  discoveryFromCache?: boolean;
  /** True when nothing changed since the cached run: its result was returned as it was. */
  resultFromCache?: boolean;
  /** True when files changed, but none in a way link would see: the cached result was returned. */
  resultReused?: boolean;
  /** Handlers whose reach link took from the daemon's earlier runs, and walked in this one (with a resident cache only). */
  reach?: { remembered: number; computed: number };
  /** Milliseconds spent in each stage, in the order they ran (files other than seeds are extracted inside link, on demand). */
  stages?: Array<[stage: string, ms: number]>;
}

export type Progress = { stage: 'read'; done: number; total: number } | { stage: 'link' | 'check' | 'done' };

/**
 * The whole pipeline: discover → extract → link → graph → check, returning the result document
 * that every reporter renders. Throws ConfigError or UsageError (exit code 2) for a broken config
 * or invocation; problems in the analyzed files become diagnostics and the run goes on.
 */
export async function analyze(options: AnalyzeOptions = {}): Promise<Result> {
  const startedAt = Date.now();
  const metrics = options.metrics ?? { filesRead: 0, filesParsed: 0, cacheHits: 0 };
  const stages: Array<[string, number]> = (metrics.stages = []);
  let stageStart = performance.now();
  const endStage = (stage: string) => {
    const now = performance.now();
    stages.push([stage, now - stageStart]);
    stageStart = now;
  };
  const dir = path.resolve(options.dir ?? '.');
  const config = loadConfig(dir, options);

  const { rules, problems } = configureRules(config.config.rules);
  const problem = problems[0];
  if (problem) {
    const where = config.locate?.(problem.path, problem.at);
    throw new ConfigError(problem.message, config.config.file, where?.line, where?.column);
  }

  const idempotency = rules.find(({ rule }) => rule.meta.id === 'non-idempotent-handler');
  const vocabulary = mergeVocabulary(idempotency?.options.vocabulary as Partial<EffectVocabulary> | undefined);
  const { discovery, fromCache } = options.cacheLocation
    ? discoverWithCache(dir, config.config, options.cacheLocation, startedAt)
    : { discovery: discoverProject(dir, config.config), fromCache: false };
  const { layout, diagnostics: discoveryDiagnostics } = discovery;
  if (fromCache) metrics.discoveryFromCache = true;
  const selection = selectAdapters(layout.dependencies, config.config.adapters);
  const declared = declaredAdapter(config.config.declare);
  const { unknown } = selection;
  const adapters = declared ? [...selection.adapters, declared] : selection.adapters;
  if (unknown.length > 0) {
    const where = config.locate?.(['adapters', unknown[0]!], 'key');
    const suggestion = suggestClosest(unknown[0]!, ADAPTERS.map((adapter) => adapter.id));
    throw new ConfigError(`adapters: unknown adapter "${unknown[0]}"${suggestion ? ` (did you mean "${suggestion}"?)` : ''}`, config.config.file, where?.line, where?.column);
  }

  endStage(metrics.discoveryFromCache ? 'config and discovery (from the cache)' : 'config and discovery');
  const fingerprint = extractionFingerprint(adapters.map((adapter) => adapter.id), vocabulary, config.config.declare);
  const files = new RunFiles(layout, {
    ...(options.contents ? { contents: options.contents } : {}),
    ...(options.cacheLocation ? { cacheLocation: options.cacheLocation } : {}),
    fingerprint,
    startedAt,
    onRead: () => metrics.filesRead++,
  });
  const { index, read } = files;
  // The key of the cached result hashes everything the result depends on: `base` (tool version,
  // config, layout, data files) and every source file's content.
  let resultKey = '';
  let base = '';
  if (index) {
    const inputs = createHash('sha1').update(JSON.stringify([buildStamp(), config.config, options.with ?? [], adapters.map((adapter) => adapter.id), discoveryDiagnostics]));
    inputs.update(layoutDigest(layout));
    inputs.update(layout.dataFiles.map((file) => `${file}\0${files.keyOf(file)}\0`).join(''));
    base = inputs.copy().digest('hex');
    // One update of the joined keys: an update per file costs more than the hashing itself.
    resultKey = inputs.update(layout.files.map((file) => `${file}\0${files.keyOf(file)}\0`).join('')).digest('hex');
  }
  endStage('read and hash');
  const cachedResult = options.cacheLocation ? readResultCache(options.cacheLocation) : undefined;
  const unchangedResult = cachedResult?.key === resultKey ? parseCachedDocument(cachedResult) : undefined;
  endStage('result cache');
  if (unchangedResult) {
    // Files read again (they were too fresh to trust last time) are trusted by their stamp next time.
    files.saveIndex();
    metrics.resultFromCache = true;
    options.onProgress?.({ stage: 'done' });
    return unchangedResult;
  }

  const cache = options.cacheLocation ? openSummaryCache(options.cacheLocation, fingerprint) : undefined;
  let saveCodeCache: (() => void) | undefined;
  /** Summaries extracted in this run: taking one again is not a cache hit. */
  const extracted = new Set<string>();
  const extract = (file: string, text: string) => {
    const key = cache && (files.knownKey(file) ?? contentKey(file, text));
    const cached = key ? cache.get(key) : undefined;
    if (cached) {
      if (!extracted.has(key!)) metrics.cacheHits++;
      return cached;
    }
    metrics.filesParsed++;
    const ts = loadTypeScript(() => {
      const loaded = loadTypeScriptWithCodeCache(options.cacheLocation);
      saveCodeCache = loaded.save;
      return loaded.ts;
    });
    const summary = extractFileSummary(ts, { fileName: file, text, adapters, vocabulary });
    if (key) {
      cache.set(key, summary);
      extracted.add(key);
    }
    return summary;
  };
  const knownFiles = index && cache ? files.knownFiles(cache, () => metrics.cacheHits++) : undefined;
  endStage('summary cache');
  if (index && cache && cachedResult && cachedResult.inputs.base === base) {
    // The files changed since the cached run may be ones link never looked at, or changed in ways
    // that leave their summaries as they were: then the result is the cached one.
    const reused = loadsAsBefore(layout.files, adapters, cachedResult.inputs, files.probe(cache, extract)) ? parseCachedDocument(cachedResult) : undefined;
    endStage('reuse check');
    if (reused) {
      const loaded = cachedResult.inputs.loaded.map(([file, , seed, warned]): ResultInputs['loaded'][number] => [file, files.keyOf(file), seed, warned]);
      cache.save({ keepUnused: true });
      files.saveIndex();
      saveCodeCache?.();
      writeCachedResult(options.cacheLocation!, resultKey, { ...cachedResult.inputs, loaded }, cachedResult.document);
      metrics.resultReused = true;
      options.onProgress?.({ stage: 'done' });
      return reused;
    }
  }
  const summaries = createSummaryStore(layout.files, adapters, read, extract, (done, total) => options.onProgress?.({ stage: 'read', done, total }), knownFiles);
  endStage(index ? 'prefilter and seeds' : 'read, prefilter and seeds');
  await summaries.loadDataFiles(layout.dataFiles, config.config.asyncapi?.documents ? { asyncapi: config.config.asyncapi.documents } : {});
  endStage('data files');
  options.onProgress?.({ stage: 'link' });
  const reachMemory = index && cachesAreResident() ? reachMemoryFor(options.cacheLocation!, base) : undefined;
  const linked = linkProject(layout, summaries, {
    maxCallDepth: config.config.maxCallDepth,
    ...(reachMemory ? { reachMemory } : {}),
    ...(config.config.asyncapi?.services ? { documentServices: config.config.asyncapi.services } : {}),
  });
  if (reachMemory) metrics.reach = linked.reach;
  const repository = layout.packages.find((pkg) => pkg.dir === '')?.name || path.basename(layout.root);
  const merged = mergeResults(linked, (options.with ?? []).filter((other) => other.repository !== repository));
  endStage('link');
  const topology = buildTopology(merged);
  endStage('topology');
  cache?.save();
  files.saveIndex();
  saveCodeCache?.();
  endStage('save caches');
  options.onProgress?.({ stage: 'check' });
  const { findings, suppressed } = runRules(topology, rules, { isExternal: wildcardMatcher(config.config.external) }, linked.suppressions);

  const diagnostics: Diagnostic[] = [
    ...discoveryDiagnostics,
    ...summaries.diagnostics().map(({ file, code, message, line, column }) => ({ severity: 'warn' as const, code, message, file, line, column })),
  ].sort(compareBy<Diagnostic>((d) => d.file ?? '', (d) => d.line ?? 0, (d) => d.column ?? 0, (d) => d.code));

  const document = topology.toDocument();
  endStage('check');
  options.onProgress?.({ stage: 'done' });
  const result: Result = {
    version: RESULT_VERSION,
    tool: { name: 'choreolint', version: VERSION },
    repository,
    services: [...merged.services],
    declarations: [...merged.declarations],
    routes: [...merged.routes],
    handlers: [...merged.handlers],
    topology: document,
    findings,
    diagnostics,
    rules: rules
      .map(({ rule, severity }) => ({ id: rule.meta.id, description: rule.meta.description, severity, docs: docsUrl(rule.meta.docs) }))
      .sort(compareBy((rule) => rule.id)),
    stats: {
      files: layout.files.length,
      filesParsed: summaries.extractedCount(),
      declarations: merged.declarations.length,
      events: document.events.length,
      handlers: merged.handlers.length,
      services: merged.services.length,
      suppressed,
    },
  };
  if (index) {
    const loaded = summaries.loadedFiles(layout.files, (file) => files.keyOf(file));
    writeCachedResult(options.cacheLocation!, resultKey, { base, ...loaded }, result);
  }
  endStage('save result');
  return result;
}

/**
 * What link's call graph reached in earlier runs, by cache location: a resident process (the
 * daemon) keeps it for runs over the same tool build, config and layout (`base`), and link takes
 * an answer only while every summary it read is the one the run has.
 */
const reachMemories = new Map<string, { base: string; memory: ReachMemory }>();
const REACH_MEMORIES_KEPT = 4;

function reachMemoryFor(cacheLocation: string, base: string): ReachMemory {
  const kept = reachMemories.get(cacheLocation);
  reachMemories.delete(cacheLocation);
  const memory = kept?.base === base ? kept.memory : new Map();
  reachMemories.set(cacheLocation, { base, memory });
  // The least recently used goes: the map's first key.
  if (reachMemories.size > REACH_MEMORIES_KEPT) reachMemories.delete(reachMemories.keys().next().value!);
  return memory;
}

/** Loads TypeScript now, as the first run that parses would (the daemon does, while it waits for its first run). */
export function preloadTypeScript(): void {
  loadTypeScript(() => loadTypeScriptWithCodeCache().ts);
}

/** The enabled rules as the config for these options configures them (severity, options with defaults merged). */
export function configuredRules(options: Pick<AnalyzeOptions, 'dir' | 'configFile' | 'config'> = {}): ConfiguredRule[] {
  return configureRules(loadConfig(path.resolve(options.dir ?? '.'), options).config.rules).rules;
}

/** The discovered layout (files, packages, tsconfig paths, services) as one string to hash. */
function layoutDigest(layout: ProjectLayout): string {
  return JSON.stringify([layout.root, layout.files, layout.dataFiles, layout.packages, layout.tsconfigs, layout.services, [...layout.fileServices], [...layout.dependencies].sort()]);
}

/** What extraction depends on besides a file's content: a cache entry is valid only for the same. */
function extractionFingerprint(adapterIds: string[], vocabulary: EffectVocabulary, declared: Config['declare']): string {
  return createHash('sha1').update(JSON.stringify([buildStamp(), adapterIds, vocabulary, declared])).digest('hex');
}

function loadConfig(dir: string, options: AnalyzeOptions) {
  const file = options.configFile ? path.resolve(options.configFile) : findConfigFile(dir);
  const parsed = file ? parseConfigText(readConfigFile(file), file, path.dirname(file)) : { config: defaultConfig(dir), locate: undefined };
  return { config: { ...parsed.config, ...options.config }, locate: parsed.locate };
}
