import picomatch from 'picomatch';
import type { FileSummary, SummaryDiagnostic, SummarySource } from '../model/summary.js';
import { compareStrings } from '../util/compare.js';
import type { Adapter } from './adapters/types.js';
import { escapeRegExp } from '../util/regexp.js';

/** A file's text (with a problem met decoding it, if any), or why it could not be read. */
export type ReadSource = (file: string) => SourceRead | { error: string; outside?: true };
type SourceRead = { text: string; warning?: SummaryDiagnostic };
export type ExtractSummary = (file: string, text: string) => FileSummary;

/**
 * What an earlier run knew of the files that have not changed since (a run with a cache): which
 * tokens their texts hold and their summaries, so that such a file need not be read.
 */
export interface KnownFiles {
  /** Whether the file's text holds `token`, when that is known without reading it. */
  holds(file: string, token: string): boolean | undefined;
  /** What reading the file found, for the next run. */
  learn(file: string, token: string, holds: boolean): void;
  /** The cached summary of a file whose content is known, without reading it. */
  summary(file: string): FileSummary | undefined;
}

/** The token under which KnownFiles keeps whether a file passed the adapters' prefilter. */
const PREFILTER = '\0prefilter';

export interface SummaryStore extends SummarySource {
  /** Reads the data files (serverless.yml, AsyncAPI documents) of adapters that have any. */
  loadDataFiles(dataFiles: readonly string[], configFileGlobs?: Readonly<Record<string, string[]>>): Promise<void>;
  /** How many files were extracted (parsed or taken from a cache) in this run. */
  extractedCount(): number;
  /** Problems met while reading or parsing, by file, in the order files were extracted. */
  diagnostics(): Array<SummaryDiagnostic & { file: string }>;
  /** What this run loaded of `files`, for telling whether a later run would load the same. */
  loadedFiles(files: readonly string[], keyOf: (file: string) => string): LoadedFiles;
}

/** The files a run loaded (with their content keys), and the tokens link scanned the others for. */
export interface LoadedFiles {
  loaded: Array<[file: string, key: string, seed: boolean, warned: boolean]>;
  scanTokens: string[];
}

/** What a later run can say of its files, reading them only when it must. */
export interface FileProbe {
  key(file: string): string;
  /** Whether the file's text holds what `matches` looks for (`token` names it); undefined when it cannot be read. */
  holds(file: string, token: string, matches: (text: string) => boolean): boolean | undefined;
  /** Whether the file, read without a warning, extracts to the summary cached under `key`. */
  extractsAs(file: string, key: string): boolean;
}

/**
 * Whether a run over `files` would load the same files with the same summaries as the run that
 * loaded `before`: then link, having the same answers to every question it asks, links the same,
 * and the earlier result holds. True when every file loaded before has the same content, or the
 * same prefilter answer and the same summary; and no other file now passes the prefilter or holds a
 * token link scanned for (the rest of the files may change freely: nothing ever looked at them).
 */
export function loadsAsBefore(files: readonly string[], adapters: readonly Adapter[], before: LoadedFiles, probe: FileProbe): boolean {
  const loaded = new Map(before.loaded.map(([file, key, seed, warned]) => [file, { key, seed, warned }]));
  const holdsToken = tokenMatcher(adapters.flatMap((adapter) => adapter.tokens));
  const scanned = before.scanTokens.map((token) => ({ token, matches: tokenMatcher([token]) }));
  for (const file of files) {
    const earlier = loaded.get(file);
    if (earlier && probe.key(file) === earlier.key) continue;
    const seed = probe.holds(file, PREFILTER, holdsToken);
    if (seed === undefined) return false;
    if (earlier) {
      if (seed !== earlier.seed || earlier.warned || !probe.extractsAs(file, earlier.key)) return false;
    } else if (seed || scanned.some(({ token, matches }) => probe.holds(file, token, matches) !== false)) {
      return false;
    }
  }
  return true;
}

/**
 * Summaries on demand. Every file is read once for the text prefilter; the ones holding an
 * enabled adapter's token are the seeds, extracted up front. Any other file is extracted only
 * when link asks for it (a constants module, a service a handler calls).
 */
export function createSummaryStore(
  files: readonly string[],
  adapters: readonly Adapter[],
  read: ReadSource,
  extract: ExtractSummary,
  onRead?: (done: number, total: number) => void,
  knownFiles?: KnownFiles,
): SummaryStore {
  const listed = new Set(files);
  const summaries = new Map<string, FileSummary>();
  const problems: Array<SummaryDiagnostic & { file: string }> = [];
  const holdsToken = tokenMatcher(adapters.flatMap((adapter) => adapter.tokens));
  const seeds: string[] = [];
  /** Files that could not be read: their empty summaries were not extracted. */
  const unreadable = new Set<string>();
  /** Files whose text was read with a warning (bytes that are not UTF-8). */
  const warned = new Set<string>();
  const scanTokens = new Set<string>();

  for (const [index, file] of files.entries()) {
    if (onRead && index % 250 === 0) onRead(index, files.length);
    const known = knownFiles?.holds(file, PREFILTER);
    if (known === false) continue;
    if (known === undefined) {
      const source = read(file);
      if ('error' in source) {
        summaries.set(file, unreadableSummary(file, source.error));
        continue;
      }
      const seed = holdsToken(source.text);
      knownFiles?.learn(file, PREFILTER, seed);
      if (!seed) continue;
    }
    seeds.push(file);
    summaries.set(file, load(file));
  }

  return {
    seeds: () => seeds,
    async loadDataFiles(dataFiles, configFileGlobs = {}) {
      const readers = adapters
        .filter((adapter) => adapter.extractConfigFile && (configFileGlobs[adapter.id] ?? adapter.configFiles))
        .map((adapter) => ({ adapter, matches: picomatch(configFileGlobs[adapter.id] ?? adapter.configFiles ?? [], { dot: true }) }));
      if (readers.length === 0) return;
      const context = { readFile: (file: string) => readInside(file), leadsOutside: (file: string) => leadsOutside(file) };
      for (const file of dataFiles) {
        const matching = readers.filter(({ matches }) => matches(file));
        if (matching.length === 0 || summaries.has(file)) continue;
        const source = read(file);
        if ('error' in source) {
          problems.push({ file, code: 'read-error', message: source.error, line: 1, column: 1 });
          continue;
        }
        if (source.warning) problems.push({ file, ...source.warning });
        const summary = emptySummary();
        for (const { adapter } of matching) {
          try {
            const found = await adapter.extractConfigFile!(file, source.text, context);
            summary.declarations.push(...found.declarations);
            summary.routes.push(...found.routes);
            summary.suppressions.push(...(found.suppressions ?? []));
            for (const diagnostic of found.diagnostics) problems.push({ ...diagnostic, file: diagnostic.file ?? file });
          } catch (error) {
            problems.push({ file, code: 'extract-error', message: `could not be analyzed: ${(error as Error).message}`, line: 1, column: 1 });
          }
        }
        if (summary.declarations.length === 0 && summary.routes.length === 0) continue;
        summaries.set(file, summary);
        seeds.push(file);
      }
      seeds.sort(compareStrings);
    },
    get(file) {
      let summary = summaries.get(file);
      if (summary) return summary;
      if (!listed.has(file)) return undefined;
      summary = load(file);
      summaries.set(file, summary);
      return summary;
    },
    peek(file) {
      const summary = summaries.get(file);
      if (summary) return { summary };
      return listed.has(file) ? undefined : { summary: undefined };
    },
    scan(extraTokens) {
      const matchers = [...new Set(extraTokens)].map((token) => ({ token, matches: tokenMatcher([token]) }));
      if (matchers.length === 0) return;
      for (const token of extraTokens) scanTokens.add(token);
      for (const file of files) {
        if (summaries.has(file)) continue;
        let hit = false;
        // Every token is looked for, so that the next run knows this file's answer for each.
        for (const { token, matches } of matchers) {
          let holds = knownFiles?.holds(file, token);
          if (holds === undefined) {
            const source = read(file);
            if ('error' in source) break;
            holds = matches(source.text);
            knownFiles?.learn(file, token, holds);
          }
          hit ||= holds;
        }
        if (hit) summaries.set(file, load(file));
      }
    },
    loaded: () => [...summaries.keys()],
    extractedCount: () => summaries.size - unreadable.size,
    diagnostics: () => problems,
    loadedFiles(listedFiles, keyOf) {
      const seedSet = new Set(seeds);
      return {
        loaded: listedFiles.filter((file) => summaries.has(file)).map((file) => [file, keyOf(file), seedSet.has(file), warned.has(file)]),
        scanTokens: [...scanTokens],
      };
    },
  };

  /** A file's text for a `$ref`: only paths inside the analyzed directory, never absolute or upward. */
  function readInside(file: string): string | undefined {
    if (file.startsWith('/') || file.startsWith('..') || file.split('/').includes('..')) return undefined;
    const source = read(file);
    return 'error' in source ? undefined : source.text;
  }

  /** Whether a path inside the analyzed directory leads out of it through a symbolic link. */
  function leadsOutside(file: string): boolean {
    const source = read(file);
    return 'error' in source && source.outside === true;
  }

  /** A file's summary: cached when the file is known unchanged, else read and extracted. */
  function load(file: string): FileSummary {
    const cached = knownFiles?.summary(file);
    if (cached) {
      for (const diagnostic of cached.diagnostics) problems.push({ file, ...diagnostic });
      return cached;
    }
    const source = read(file);
    return 'error' in source ? unreadableSummary(file, source.error) : extractSafely(file, source);
  }

  function unreadableSummary(file: string, error: string): FileSummary {
    problems.push({ file, code: 'read-error', message: error, line: 1, column: 1 });
    unreadable.add(file);
    return emptySummary();
  }

  /** A problem in one file is a diagnostic of that file; the run goes on with the others. */
  function extractSafely(file: string, { text, warning }: SourceRead): FileSummary {
    if (warning) {
      problems.push({ file, ...warning });
      warned.add(file);
    }
    try {
      const summary = extract(file, text);
      for (const diagnostic of summary.diagnostics) problems.push({ file, ...diagnostic });
      return summary;
    } catch (error) {
      problems.push({ file, code: 'extract-error', message: `could not be analyzed: ${(error as Error).message}`, line: 1, column: 1 });
      return emptySummary();
    }
  }
}

/**
 * Whether a text holds one of the tokens. A token that ends a call (`.send(`) also matches with
 * whitespace before the parenthesis (`.send (`), which the plain substring test would miss.
 */
function tokenMatcher(tokens: readonly string[]): (text: string) => boolean {
  const unique = [...new Set(tokens)];
  const spaced = unique
    .filter((token) => token.endsWith('(') && token.length > 1)
    .map((token) => ({ stem: token.slice(0, -1), pattern: new RegExp(`${escapeRegExp(token.slice(0, -1))}\\s+\\(`) }));
  return (text) => unique.some((token) => text.includes(token)) || spaced.some(({ stem, pattern }) => text.includes(stem) && pattern.test(text));
}


function emptySummary(): FileSummary {
  return {
    imports: [],
    exports: [],
    constants: {},
    values: {},
    classes: {},
    functionNames: {},
    functions: [],
    declarations: [],
    routes: [],
    suppressions: [],
    diagnostics: [],
  };
}
