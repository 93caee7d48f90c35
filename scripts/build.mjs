// Bundles each program into one file. Start-up time is a target: each is a CommonJS bundle run by
// a small launcher with V8's code cache (written here), so a start compiles almost nothing.
import { spawnSync } from 'node:child_process';
import { chmodSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import Module from 'node:module';
import vm from 'node:vm';
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

/** `warmup`: arguments for one run whose compiled functions go into the cache (none: compile only). */
async function cjsWithCache(name, entry, warmup) {
  const bundle = `${name}.bundle.cjs`;
  // Minified: less to read and a smaller code cache to load; the external map keeps stacks readable.
  await build({
    ...common, entryPoints: [entry], outfile: `dist/${bundle}`, format: 'cjs', minify: true, sourcemap: 'external',
    define: { 'import.meta.url': '__vesselBundleUrl' },
  });
  writeFileSync(`dist/${name}.cjs`, launcher(bundle));
  chmodSync(`dist/${name}.cjs`, 0o755);
  rmSync(`dist/${bundle}.cache`, { force: true });
  if (warmup) {
    spawnSync(process.execPath, [`dist/${name}.cjs`, ...warmup], { env: { ...process.env, VESSEL_WRITE_CODE_CACHE: '1' }, stdio: 'ignore' });
  } else {
    const source = Module.wrap(readFileSync(`dist/${bundle}`, 'utf8'));
    writeFileSync(`dist/${bundle}.cache`, new vm.Script(source, { filename: `dist/${bundle}` }).createCachedData());
  }
}

await Promise.all([
  cjsWithCache('vessel-runtime', 'src/cli/runtime/main.ts', ['--version']),
  cjsWithCache('vessel', 'src/cli/engine/main.ts', ['--help']),
  cjsWithCache('vessel-dns', 'src/network/dns/main.ts'),
]);
