import { readFileSync } from 'node:fs';
import path from 'node:path';
import { packageRoot } from './util/package-root.js';

/** The package's version, as package.json states it. */
export const VERSION: string = (JSON.parse(readFileSync(path.join(packageRoot(), 'package.json'), 'utf8')) as { version: string }).version;
