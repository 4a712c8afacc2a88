import type { Progress } from '../analyze.js';

const LABELS = { link: 'linking', check: 'checking' } as const;

/** Progress on a terminal's stderr, rewritten in place; cleared when the run is done. */
export function terminalProgress(write: (text: string) => void): (progress: Progress) => void {
  let shown = false;
  return (progress) => {
    if (progress.stage === 'done') {
      if (shown) write('\r\u001b[K');
      return;
    }
    const text = progress.stage === 'read' ? `reading files ${progress.done}/${progress.total}` : `${LABELS[progress.stage]}…`;
    write(`\r\u001b[Kchoreolint: ${text}`);
    shown = true;
  };
}
