/** What discover learns about the repository; link and the pipeline read it, never the disk. */

export interface WorkspacePackage {
  name: string;
  /** Directory relative to the root, '' for the root itself. */
  dir: string;
  /** Candidate entry files relative to the package dir, in the order the manifest states them. */
  entries: string[];
  /** Subpath exports (`./topics` → `src/topics.ts`), relative to the package dir. */
  subpaths: Record<string, string>;
  dependencies: string[];
}

export interface TsconfigPaths {
  /** Directory of the tsconfig.json the settings apply under. */
  dir: string;
  /** Directory that `paths` and bare specifiers resolve against (baseUrl, else the defining file's dir). */
  base: string;
  paths: Record<string, string[]>;
  /** True when baseUrl is set: bare specifiers may resolve against it. */
  hasBaseUrl: boolean;
}

export interface ServiceAssignment {
  name: string;
  path: string;
  source: 'package' | 'folder' | 'config' | 'root';
}

export interface ProjectLayout {
  /** Absolute path of the analyzed directory. */
  root: string;
  /** Source files to analyze, relative to root with forward slashes, sorted. */
  files: string[];
  /** YAML and JSON files (not manifests) that adapters may read: serverless.yml, AsyncAPI documents. */
  dataFiles: string[];
  packages: WorkspacePackage[];
  tsconfigs: TsconfigPaths[];
  services: ServiceAssignment[];
  /** The service of each file in `files`. */
  fileServices: Map<string, string>;
  /** Every dependency named by any manifest in the repository. */
  dependencies: Set<string>;
}

/**
 * What the file system says of a regular file (size, modification and change times, inode), taken
 * from the descriptor the text was read through: while it is the same, the text is the same.
 */
export interface FileStamp {
  /** Size, modification time, change time and inode: equal stamps, equal files. */
  id: [size: number, mtimeMs: number, ctimeMs: number, ino: number];
  /** The later of the modification and change times, in milliseconds. */
  changedAt: number;
  /** Whether both times are whole seconds: a file system that keeps no finer times (or a rare coincidence). */
  coarse: boolean;
}
