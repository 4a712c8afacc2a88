#!/usr/bin/env node
// The CLI is one bundled script, loaded with V8's code cache: start-up time is part of every pre-commit run.
// A run that a daemon answers (src/daemon) does not load it at all.
import { fileURLToPath } from 'node:url';
import { daemonAddress, daemonUse, runInDaemon, startDaemon } from '../dist/daemon/client.js';
import { readBuildId } from '../dist/util/package-root.js';

const args = process.argv.slice(2);
const use = daemonUse(args);
const build = use === 'no' ? undefined : readBuildId(fileURLToPath(new URL('..', import.meta.url)));
const found = build && daemonAddress(build);
const address = found && 'socket' in found ? found : undefined;
const answered = address ? await runInDaemon(address, args) : undefined;
if (answered !== undefined) {
  process.exitCode = answered;
} else {
  // --daemon: the daemon starts in the background for the next run; this one runs here.
  if (address && use === 'start') void startDaemon(address, fileURLToPath(import.meta.url));
  const { loadBundle } = await import('./load-bundle.mjs');
  process.exitCode = await loadBundle().exports.main(process.argv);
}

