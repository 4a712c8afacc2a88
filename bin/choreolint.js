#!/usr/bin/env node
// CommonJS (bin/package.json), like the bundles it loads: Node starts it sooner than an ES module,
// and start-up is most of a run that a daemon answers (src/daemon).
// The CLI is one bundled script, loaded with V8's code cache; a run that a daemon answers does not
// load it at all.
const path = require('node:path');

function fail(message) {
  process.stderr.write(`choreolint: ${message}\n`);
  process.exitCode = 2;
}

async function run() {
  const { daemonAddress, daemonUse, runInDaemon, startDaemon, readBuildId } = require('../dist/daemon-client.cjs');
  const args = process.argv.slice(2);
  const use = daemonUse(args);
  const build = use === 'no' ? undefined : readBuildId(path.join(__dirname, '..'));
  const found = build && daemonAddress(build);
  const address = found && 'socket' in found ? found : undefined;
  const answered = address ? await runInDaemon(address, args) : undefined;
  if (answered !== undefined) return answered;
  // --daemon: the daemon starts in the background for the next run; this one runs here.
  if (address && use === 'start') void startDaemon(address, __filename);
  return require('./load-bundle.cjs').loadBundle().exports.main(process.argv);
}

run().then(
  (code) => {
    process.exitCode = code;
  },
  (error) => {
    // main() reports its own errors; this is a checkout that was never built, or a broken install.
    if (error && error.code === 'MODULE_NOT_FOUND' && /[\\/]dist[\\/]/.test(error.message)) return fail(`${path.join(__dirname, '..', 'dist')} is missing: run "npm run build" (or "npm ci", which builds)`);
    if (process.argv.includes('--debug')) throw error;
    fail(`internal error: ${error && error.message ? error.message.split('\n')[0] : String(error)} (run with --debug for the stack trace)`);
  },
);
