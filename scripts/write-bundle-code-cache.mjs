// Writes V8's code cache for the bundled CLI (see bin/load-bundle.cjs), after running what most runs
// run: checks of the bundled example, reported as JSON and as text. The cache then holds the
// functions a run calls, not only the bundle's top level, which is all V8 compiles up front.
// Also writes dist/build-id, the bundle's hash: the caches of runs are valid for one build only.
import { createHash } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import loader from '../bin/load-bundle.cjs';

const { BUNDLE, BUNDLE_CODE_CACHE, loadBundle } = loader;

writeFileSync(path.join(path.dirname(BUNDLE), 'build-id'), `${createHash('sha1').update(readFileSync(BUNDLE)).digest('hex')}\n`);

const example = fileURLToPath(new URL('../fixtures/shop', import.meta.url));
const scratch = mkdtempSync(path.join(tmpdir(), 'choreolint-code-cache-'));
try {
  const { exports, script } = loadBundle({ codeCache: false });
  for (const format of ['json', 'stylish']) {
    await exports.main(['node', 'choreolint', 'check', example, '--format', format, '--output', path.join(scratch, `report.${format}`)]);
  }
  writeFileSync(BUNDLE_CODE_CACHE, script.createCachedData());
} finally {
  rmSync(scratch, { recursive: true, force: true });
}
