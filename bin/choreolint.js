#!/usr/bin/env node
// The CLI is one bundled module: start-up time is part of every pre-commit run.
import { main } from '../dist/choreolint.mjs';

process.exitCode = await main(process.argv);
