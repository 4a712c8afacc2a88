// Bundles what bin/choreolint.js runs into CommonJS scripts: Node starts a CommonJS script a few
// milliseconds sooner than an ES module, and start-up is most of a run that a daemon answers.
// - dist/choreolint.cjs: the CLI (the packages it loads only for some runs stay external);
// - dist/daemon-client.cjs: what the bin needs before it knows whether a daemon answers (Node's
//   own modules only).
import { build } from 'esbuild';

const common = {
  bundle: true,
  platform: 'node',
  format: 'cjs',
  target: 'node20',
  logLevel: 'warning',
  // The sources find their package through import.meta.url, which CommonJS does not have.
  define: { 'import.meta.url': '__choreolintImportMetaUrl' },
  banner: { js: "const __choreolintImportMetaUrl = require('node:url').pathToFileURL(__filename).href;" },
};

await build({
  ...common,
  entryPoints: ['src/cli/main.ts'],
  outfile: 'dist/choreolint.cjs',
  supported: { 'dynamic-import': false },
  mainFields: ['module', 'main'],
  external: ['ts-morph', '@asyncapi/parser', '@hpcc-js/wasm-graphviz', 'playwright-core', 'yaml', 'ajv'],
});

await build({
  ...common,
  stdin: {
    contents: "export { daemonAddress, daemonUse, runInDaemon, startDaemon } from './src/daemon/client.ts';\nexport { readBuildId } from './src/util/package-root.ts';\n",
    resolveDir: '.',
    loader: 'ts',
    sourcefile: 'daemon-client-entry.ts',
  },
  outfile: 'dist/daemon-client.cjs',
});
