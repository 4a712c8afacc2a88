// The floor of the benchmark: read every source file and parse it with TypeScript's parser alone.
import { readdirSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';

const require = createRequire(import.meta.url);
const readOnly = readOnlyArgument();
const { ts } = readOnlyArgument() ? { ts: undefined } : require('ts-morph');
const root = process.argv[2];
const skip = new Set(['node_modules', '.git', 'dist']);
let count = 0;
(function walk(dir) {
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    if (entry.isDirectory()) {
      if (!skip.has(entry.name)) walk(path.join(dir, entry.name));
    } else if (/\.(ts|tsx|mts|cts|js|jsx|mjs|cjs)$/.test(entry.name) && !entry.name.endsWith('.d.ts')) {
      const file = path.join(dir, entry.name);
      const text = readFileSync(file, 'utf8');
      if (!readOnly) ts.createSourceFile(file, text, ts.ScriptTarget.Latest);
      count++;
    }
  }
})(root);
if (count === 0) process.exitCode = 1;

function readOnlyArgument() {
  return process.argv[3] === '--read-only';
}
