const NONE: ReadonlySet<string> = new Set();

/**
 * Which files' summaries a computation read, including through the memos that answered it: what a
 * daemon checks before it reuses the answer in a later run (see `CallGraph.reachable`). Disabled,
 * it records nothing and costs nothing.
 */
export class ReadTracker {
  private readonly frames: Array<Set<string>> = [];

  constructor(readonly enabled: boolean) {}

  read(file: string): void {
    if (this.frames.length > 0) this.frames[this.frames.length - 1]!.add(file);
  }

  /** What a memoized answer read, as if it were read again. */
  replay(files: ReadonlySet<string>): void {
    const top = this.frames[this.frames.length - 1];
    if (top) for (const file of files) top.add(file);
  }

  track<T>(compute: () => T): { value: T; files: ReadonlySet<string> } {
    if (!this.enabled) return { value: compute(), files: NONE };
    const files = new Set<string>();
    this.frames.push(files);
    let value: T;
    try {
      value = compute();
    } finally {
      this.frames.pop();
    }
    this.replay(files);
    return { value, files };
  }
}
