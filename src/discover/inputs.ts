import { lstatSync, realpathSync } from 'node:fs';
import type { FileStamp } from '../model/project.js';
import { readSourceText, sameStamp, stampOf, stampSourceFile, type SourceText } from './read-source.js';

export type ReadText = (root: string, file: string) => SourceText;

type StampId = FileStamp['id'];

/**
 * What a discovery read from the file system: the stamp of every directory it listed (taken before
 * listing it) and of every file it read (.gitignore files, manifests). A directory's stamp changes
 * when an entry is added, removed or renamed in it, or its permissions change; a file's when its
 * content does. While every stamp is the same, the same discovery would find the same.
 */
export class DiscoveryInputs {
  private readonly directories: Array<[dir: string, stamp: FileStamp | undefined]> = [];
  private readonly files = new Map<string, FileStamp | undefined>();
  /** Set when the walk met something stamps cannot vouch for (a symbolic link, an unreadable directory). */
  private unstampable = false;

  constructor(readonly root: string) {}

  readonly read: ReadText = (root, file) => {
    const source = readSourceText(root, file);
    if (!this.files.has(file)) this.files.set(file, 'text' in source ? source.stamp : undefined);
    return source;
  };

  listing(dir: string): void {
    this.directories.push([dir, directoryStamp(this.root, dir)]);
  }

  unstamped(): void {
    this.unstampable = true;
  }

  /**
   * The stamps, or undefined when a stamp is missing or may not have caught the latest change: a
   * directory or file changed within the file system's timestamp resolution of `isRacy`.
   */
  settled(isRacy: (stamp: FileStamp) => boolean): RecordedInputs | undefined {
    if (this.unstampable) return undefined;
    const stamps = (entries: Iterable<[string, FileStamp | undefined]>): Array<[string, StampId]> | undefined => {
      const settled: Array<[string, StampId]> = [];
      for (const [name, stamp] of entries) {
        if (!stamp || isRacy(stamp)) return undefined;
        settled.push([name, stamp.id]);
      }
      return settled;
    };
    const directories = stamps(this.directories);
    const files = stamps(this.files);
    if (!directories || !files) return undefined;
    return { realRoot: realpathSync.native(this.root), directories, files };
  }
}

/** The stamps a discovery's result depends on (see DiscoveryInputs). */
export interface RecordedInputs {
  realRoot: string;
  directories: Array<[dir: string, stamp: StampId]>;
  files: Array<[file: string, stamp: StampId]>;
}

/** Whether every directory and file a discovery read still has the stamp it had then. */
export function inputsUnchanged(root: string, inputs: RecordedInputs): boolean {
  try {
    if (realpathSync.native(root) !== inputs.realRoot) return false;
  } catch {
    return false;
  }
  const unchanged = (stamp: FileStamp | undefined, stored: StampId) => stamp !== undefined && sameStamp(stamp.id, stored);
  return (
    inputs.directories.every(([dir, stored]) => unchanged(directoryStamp(root, dir), stored)) &&
    inputs.files.every(([file, stored]) => unchanged(stampSourceFile(root, file), stored))
  );
}

function directoryStamp(root: string, dir: string): FileStamp | undefined {
  try {
    const stats = lstatSync(dir ? `${root}/${dir}` : root, { throwIfNoEntry: false });
    return stats?.isDirectory() ? stampOf(stats) : undefined;
  } catch {
    return undefined;
  }
}
