// Bundles each CLI into one file. Start-up time is a target: the runtime CLI is a CommonJS bundle
// run by a small launcher with V8's code cache (written here), so a start compiles almost nothing.
import { spawnSync } from 'node:child_process';
import { chmodSync, existsSync, rmSync, writeFileSync } from 'node:fs';
import { build } from 'esbuild';

const common = { bundle: true, platform: 'node', target: 'node20', external: ['better-sqlite3'], logLevel: 'warning' };

const launcher = (bundle) => `#!/usr/bin/env node
'use strict';
// Runs ${bundle} with V8's code cache (${bundle}.cache, made at build time); a stale or
// foreign cache is rejected by V8 and the bundle is simply compiled.
const fs = require('fs');
const path = require('path');
const vm = require('vm');
const Module = require('module');
const file = path.join(__dirname, '${bundle}');
let cachedData;
try {
  cachedData = fs.readFileSync(file + '.cache');
} catch {}
const script = new vm.Script(Module.wrap(fs.readFileSync(file, 'utf8')), { filename: file, cachedData });
globalThis.__vesselBundleUrl = require('url').pathToFileURL(file).href;
if (process.env.VESSEL_WRITE_CODE_CACHE) process.on('exit', () => fs.writeFileSync(file + '.cache', script.createCachedData()));
const mod = { exports: {} };
script.runInThisContext().call(mod.exports, mod.exports, Module.createRequire(file), mod, file, __dirname);
`;

async function cjsWithCache(name, entry) {
  const bundle = `${name}.bundle.cjs`;
  // Minified: less to read and a smaller code cache to load; the external map keeps stacks readable.
  await build({
    ...common, entryPoints: [entry], outfile: `dist/${bundle}`, format: 'cjs', minify: true, sourcemap: 'external',
    define: { 'import.meta.url': '__vesselBundleUrl' },
  });
  writeFileSync(`dist/${name}.cjs`, launcher(bundle));
  chmodSync(`dist/${name}.cjs`, 0o755);
  rmSync(`dist/${bundle}.cache`, { force: true });
  // One run with everything it compiles recorded; --version touches only the start-up path.
  spawnSync(process.execPath, [`dist/${name}.cjs`, '--version'], { env: { ...process.env, VESSEL_WRITE_CODE_CACHE: '1' }, stdio: 'ignore' });
}

async function esm(name, entry) {
  const outfile = `dist/${name}.mjs`;
  await build({ ...common, entryPoints: [entry], outfile, format: 'esm', banner: { js: '#!/usr/bin/env node' } });
  chmodSync(outfile, 0o755);
}

await Promise.all([
  cjsWithCache('vessel-runtime', 'src/cli/runtime/main.ts'),
  existsSync('src/cli/engine/main.ts') ? esm('vessel', 'src/cli/engine/main.ts') : Promise.resolve(),
]);
