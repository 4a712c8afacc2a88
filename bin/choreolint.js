#!/usr/bin/env node
// The CLI is one bundled script, loaded with V8's code cache: start-up time is part of every pre-commit run.
import { loadBundle } from './load-bundle.mjs';

process.exitCode = await loadBundle().exports.main(process.argv);
