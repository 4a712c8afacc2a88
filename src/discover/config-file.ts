import { closeSync, constants, existsSync, fstatSync, openSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { CONFIG_FILE_NAMES } from '../config/defaults.js';
import { ConfigError } from '../config/types.js';

/**
 * The config file for an analyzed directory: the first choreolint.yaml found walking up from it,
 * stopping at the repository root (the directory holding .git) so a stray file above the
 * repository never applies.
 */
export function findConfigFile(startDir: string): string | undefined {
  let dir = path.resolve(startDir);
  for (;;) {
    for (const name of CONFIG_FILE_NAMES) {
      const candidate = path.join(dir, name);
      if (existsSync(candidate)) return candidate;
    }
    if (existsSync(path.join(dir, '.git'))) return undefined;
    const parent = path.dirname(dir);
    if (parent === dir) return undefined;
    dir = parent;
  }
}

export function readConfigFile(file: string): string {
  let fd: number;
  try {
    // Non-blocking: a named pipe in the config file's place must not block the run.
    fd = openSync(file, constants.O_RDONLY | (constants.O_NONBLOCK ?? 0));
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    throw new ConfigError(code === 'ENOENT' ? 'config file not found' : `cannot read config file (${code ?? 'error'})`, file);
  }
  try {
    const stats = fstatSync(fd);
    if (stats.isDirectory()) throw new ConfigError('cannot read config file (EISDIR)', file);
    if (!stats.isFile()) throw new ConfigError('config file is not a regular file', file);
    return readFileSync(fd, 'utf8');
  } catch (error) {
    if (error instanceof ConfigError) throw error;
    throw new ConfigError(`cannot read config file (${(error as NodeJS.ErrnoException).code ?? 'error'})`, file);
  } finally {
    closeSync(fd);
  }
}
