import { createHash } from 'node:crypto';
import path from 'node:path';
import type { Config } from '../config/types.js';
import { discoverProject, DiscoveryInputs, forgetRealDirectories, inputsUnchanged, type Discovery, type RecordedInputs } from '../discover/index.js';
import type { ProjectLayout } from '../model/project.js';
import { buildStamp } from '../version.js';
import { isRacy } from './file-index.js';
import { cachesAreResident, deepFreeze, readCacheFile, writeCacheFile } from './resident.js';

const FILE_NAME = 'discovery.json';
const FORMAT = 'choreolint-discovery';
const FORMAT_VERSION = 1;

interface Memo {
  key: string;
  inputs: RecordedInputs;
  discovery: Discovery;
}

/**
 * Discovery, taken from the last run's when nothing it read has changed: every directory it listed
 * and every .gitignore and manifest it read has the stamp it had then (about 500 stats at 10,000
 * files, against walking, matching and reading manifests: 40–50 ms). A tree with symbolic links
 * or unreadable directories, or changed too recently to trust its stamps, is discovered anew
 * every run. `fromCache` says which happened.
 */
export function discoverWithCache(dir: string, config: Config, location: string, runStartedAt: number): { discovery: Discovery; fromCache: boolean } {
  const root = path.resolve(dir);
  const key = createHash('sha1').update(JSON.stringify([buildStamp(), root, config])).digest('hex');
  const file = path.join(location, FILE_NAME);
  const memo = readCacheFile(file, parseMemo);
  // What discovery does first in every run, for the file reads that follow (the stamps' among them).
  forgetRealDirectories();
  if (memo?.key === key && inputsUnchanged(root, memo.inputs)) return { discovery: memo.discovery, fromCache: true };
  const inputs = new DiscoveryInputs(root);
  const discovery = discoverProject(root, config, inputs);
  const recorded = inputs.settled((stamp) => isRacy(stamp, runStartedAt));
  if (recorded) {
    const stored = frozenIfShared({ key, inputs: recorded, discovery });
    writeCacheFile(file, stored, () => serializeMemo(stored));
  }
  return { discovery, fromCache: false };
}

interface StoredMemo {
  format: string;
  version: number;
  key: string;
  inputs: RecordedInputs;
  layout: Omit<ProjectLayout, 'fileServices' | 'dependencies'> & { fileServices: number[]; dependencies: string[] };
  diagnostics: Discovery['diagnostics'];
}

function serializeMemo({ key, inputs, discovery }: Memo): string {
  const { layout, diagnostics } = discovery;
  const serviceIndex = new Map(layout.services.map((service, index) => [service.name, index]));
  const stored: StoredMemo = {
    format: FORMAT,
    version: FORMAT_VERSION,
    key,
    inputs,
    // Each file's service as an index into `services`, in the order of files then data files.
    layout: { ...layout, fileServices: [...layout.files, ...layout.dataFiles].map((file) => serviceIndex.get(layout.fileServices.get(file)!)!), dependencies: [...layout.dependencies] },
    diagnostics,
  };
  return JSON.stringify(stored);
}

function parseMemo(text: string): Memo | undefined {
  const stored = JSON.parse(text) as Partial<StoredMemo> | null;
  if (stored?.format !== FORMAT || stored.version !== FORMAT_VERSION || typeof stored.key !== 'string' || !stored.inputs || !stored.layout || !Array.isArray(stored.diagnostics)) return undefined;
  const { inputs, layout } = stored;
  if (typeof inputs.realRoot !== 'string' || !Array.isArray(inputs.directories) || !Array.isArray(inputs.files) || ![...inputs.directories, ...inputs.files].every(isStampEntry)) return undefined;
  const listed = [...layout.files, ...layout.dataFiles];
  if (!Array.isArray(layout.fileServices) || layout.fileServices.length !== listed.length) return undefined;
  const fileServices = new Map<string, string>();
  for (const [index, file] of listed.entries()) {
    const service = layout.services[layout.fileServices[index]!];
    if (!service) return undefined;
    fileServices.set(file, service.name);
  }
  return frozenIfShared({
    key: stored.key,
    inputs,
    discovery: { layout: { ...layout, fileServices, dependencies: new Set(layout.dependencies) }, diagnostics: stored.diagnostics },
  });
}

/** A resident process hands the same memo to every run: none may change it. */
function frozenIfShared(memo: Memo): Memo {
  return cachesAreResident() ? deepFreeze(memo) : memo;
}

function isStampEntry(entry: unknown): boolean {
  return Array.isArray(entry) && entry.length === 2 && typeof entry[0] === 'string' && Array.isArray(entry[1]) && entry[1].length === 4 && entry[1].every((value) => typeof value === 'number');
}
