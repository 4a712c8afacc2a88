import { openFileIndex, type FileIndex } from './cache/file-index.js';
import { contentKey, type SummaryCache } from './cache/summary-cache.js';
import { readSourceText, stampSourceFile, type SourceText } from './discover/index.js';
import type { ExtractSummary, FileProbe, KnownFiles } from './extract/store.js';
import type { ProjectLayout } from './model/project.js';

export interface RunFilesOptions {
  /** Texts to analyze instead of the files on disk (the staged content, for `--staged`). */
  contents?: ReadonlyMap<string, string | SourceText>;
  /** Where the caches live; without it every file is read. */
  cacheLocation?: string;
  /** What extraction depends on besides a file's content (the file index is valid for one). */
  fingerprint: string;
  /** When the run started, for the file index's racy window. */
  startedAt: number;
  /** Counts every read from disk (or from the staged contents). */
  onRead: () => void;
}

/**
 * The files of one run. Each is read at most once, and its text kept for link, which asks again
 * for the files it needs. With a cache, a file whose stamp is the one an earlier run recorded is
 * not read at all: the file index knows its content key and what its text holds, the summary cache
 * its summary.
 */
export class RunFiles {
  /** Undefined without a cache location. */
  readonly index: FileIndex | undefined;
  private readonly reads = new Map<string, SourceText>();
  /** Content keys of the files known this run (read, or unchanged since the index recorded them). */
  private readonly keys = new Map<string, string>();
  private readonly unchanged = new Set<string>();

  constructor(
    private readonly layout: ProjectLayout,
    private readonly options: RunFilesOptions,
  ) {
    this.index = options.cacheLocation ? openFileIndex(options.cacheLocation, options.fingerprint, options.startedAt) : undefined;
  }

  /** A file's text (or why it cannot be read), read on first use. */
  readonly read = (file: string): SourceText => {
    let source = this.reads.get(file);
    if (!source) {
      this.options.onRead();
      const staged = this.options.contents?.get(file);
      source = staged === undefined ? readSourceText(this.layout.root, file) : typeof staged === 'string' ? { text: staged } : staged;
      this.reads.set(file, source);
    }
    return source;
  };

  /**
   * The key of a file's content (with a cache only): the index's when its stamp is unchanged,
   * else the hash of its text, or of why it cannot be read.
   */
  keyOf(file: string): string {
    let key = this.keys.get(file);
    if (key !== undefined) return key;
    const index = this.index!;
    const staged = this.options.contents?.has(file) ?? false;
    key = staged ? undefined : index.unchangedKey(file, stampSourceFile(this.layout.root, file));
    if (key !== undefined) {
      this.unchanged.add(file);
    } else {
      const source = this.read(file);
      key = 'text' in source ? contentKey(file, source.text) : `\0${source.error}`;
      if ('text' in source && source.stamp && !staged) index.record(file, source.stamp, key);
    }
    this.keys.set(file, key);
    return key;
  }

  /** The content key when this run knows it already (from keyOf). */
  knownKey(file: string): string | undefined {
    return this.keys.get(file);
  }

  /** Writes the file index (with a cache): what this run read is trusted by its stamp next time. */
  saveIndex(): void {
    this.index?.save([...this.layout.files, ...this.layout.dataFiles]);
  }

  /** What the summary store may take from earlier runs for unchanged files (with a cache). */
  knownFiles(cache: SummaryCache, onCacheHit: () => void): KnownFiles {
    const index = this.index!;
    return {
      holds: (file, token) => (this.unchanged.has(file) ? index.holds(file, token) : undefined),
      learn: (file, token, holds) => index.learn(file, token, holds),
      summary: (file) => {
        const summary = this.unchanged.has(file) ? cache.get(this.keys.get(file)!) : undefined;
        if (summary) onCacheHit();
        return summary;
      },
    };
  }

  /** What the reuse check asks of the files: unchanged ones from the index, others from their text. */
  probe(cache: SummaryCache, extract: ExtractSummary): FileProbe {
    const index = this.index!;
    return {
      key: (file) => this.keyOf(file),
      holds: (file, token, matches) => {
        const known = this.unchanged.has(file) ? index.holds(file, token) : undefined;
        if (known !== undefined) return known;
        const source = this.read(file);
        if ('error' in source) return undefined;
        const holds = matches(source.text);
        index.learn(file, token, holds);
        return holds;
      },
      extractsAs: (file, key) => {
        const source = this.read(file);
        if ('error' in source || source.warning) return false;
        try {
          return cache.holdsSame(key, extract(file, source.text));
        } catch {
          return false;
        }
      },
    };
  }
}
