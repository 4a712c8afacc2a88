// Loads the bundled CLI (dist/choreolint.cjs) with V8's code cache, which the build writes for the
// Node that ran it: compiling the bundle, and the functions a run calls, is otherwise part of every
// run's start-up. Another Node (or a stale cache) compiles it as usual: V8 rejects the cache.
const { readFileSync } = require('node:fs');
const Module = require('node:module');
const path = require('node:path');
const { Script } = require('node:vm');

const BUNDLE = path.join(__dirname, '..', 'dist', 'choreolint.cjs');
const BUNDLE_CODE_CACHE = `${BUNDLE}.${process.version}-${process.arch}.v8`;

/** The bundle's exports, the script it ran as, and whether V8 rejected the code cache (undefined: none). */
function loadBundle({ codeCache = true } = {}) {
  const source = readFileSync(BUNDLE, 'utf8');
  const cachedData = codeCache ? readCodeCache() : undefined;
  const script = new Script(Module.wrap(source), { filename: BUNDLE, ...(cachedData ? { cachedData } : {}) });
  const module = { exports: {} };
  script.runInThisContext().call(module.exports, module.exports, Module.createRequire(BUNDLE), module, BUNDLE, path.dirname(BUNDLE));
  return { exports: module.exports, script, cacheRejected: cachedData ? script.cachedDataRejected : undefined };
}

function readCodeCache() {
  try {
    return readFileSync(BUNDLE_CODE_CACHE);
  } catch {
    return undefined;
  }
}

module.exports = { BUNDLE, BUNDLE_CODE_CACHE, loadBundle };
