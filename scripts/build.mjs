// Bundles each program into one file. Start-up time is a target: each is a CommonJS bundle run by
// a small launcher with V8's code cache (written here), so a start compiles almost nothing.
import { spawnSync } from 'node:child_process';
import { chmodSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import Module from 'node:module';
import vm from 'node:vm';
import { build } from 'esbuild';

// better-sqlite3's JavaScript is bundled too; its addon is loaded by path (src/state/sqlite.ts)
const common = { bundle: true, platform: 'node', target: 'node20', logLevel: 'warning' };

const launcher = (bundle, commands) => `#!/usr/bin/env node
'use strict';
// Runs ${bundle} with V8's code cache. V8 compiles a function only when it first runs, so a
// cache holds the functions its producing run executed: each command gets its own, written by its
// first successful run in this installation (cache/${bundle}.COMMAND); until then the one made at
// build time serves. A stale or foreign cache is rejected by V8, the bundle compiled, and the
// cache written again.
const fs = require('fs');
const path = require('path');
const vm = require('vm');
const Module = require('module');
const file = path.join(__dirname, '${bundle}');
const commands = new Set(${JSON.stringify(commands)});
const command = process.argv.slice(2).find((a) => commands.has(a));
const own = command && path.join(__dirname, 'cache', '${bundle}.' + command);
let cachedData;
let fromOwn = false;
try {
  cachedData = fs.readFileSync(own);
  fromOwn = true;
} catch {
  try {
    cachedData = fs.readFileSync(file + '.cache');
  } catch {}
}
const script = new vm.Script(Module.wrap(fs.readFileSync(file, 'utf8')), { filename: file, cachedData });
globalThis.__vesselBundleUrl = require('url').pathToFileURL(file).href;
const save = (target) => {
  try {
    fs.mkdirSync(path.dirname(target), { recursive: true });
    const temp = target + '.' + process.pid;
    fs.writeFileSync(temp, script.createCachedData());
    fs.renameSync(temp, target);
  } catch {}
};
if (process.env.VESSEL_WRITE_CODE_CACHE) process.on('exit', () => save(file + '.cache'));
else if (own && (!fromOwn || script.cachedDataRejected)) process.on('exit', (code) => code === 0 && save(own));
const mod = { exports: {} };
script.runInThisContext().call(mod.exports, mod.exports, Module.createRequire(file), mod, file, __dirname);
`;

/** The first words of a program's commands, read from its command table's source. */
function commandWords(source, pattern) {
  return [...new Set([...readFileSync(source, 'utf8').matchAll(pattern)].map((m) => m[1].split(' ')[0]))].sort();
}

/** `warmup`: arguments for one run whose compiled functions go into the cache (none: compile only). */
async function cjsWithCache(name, entry, warmup, commands = []) {
  const bundle = `${name}.bundle.cjs`;
  // Minified: less to read and a smaller code cache to load; the external map keeps stacks readable.
  await build({
    ...common, entryPoints: [entry], outfile: `dist/${bundle}`, format: 'cjs', minify: true, sourcemap: 'external',
    define: { 'import.meta.url': '__vesselBundleUrl' },
  });
  writeFileSync(`dist/${name}.cjs`, launcher(bundle, commands));
  chmodSync(`dist/${name}.cjs`, 0o755);
  rmSync(`dist/${bundle}.cache`, { force: true });
  if (warmup) {
    spawnSync(process.execPath, [`dist/${name}.cjs`, ...warmup], { env: { ...process.env, VESSEL_WRITE_CODE_CACHE: '1' }, stdio: 'ignore' });
  } else {
    const source = Module.wrap(readFileSync(`dist/${bundle}`, 'utf8'));
    writeFileSync(`dist/${bundle}.cache`, new vm.Script(source, { filename: `dist/${bundle}` }).createCachedData());
  }
}

/** The library (`import { openVessel } from 'vessel'`): an ESM bundle of src/engine/index.ts beside
 * the CLI bundles (whose paths it finds from its own), and its declarations in dist/types. */
async function library() {
  await build({
    ...common, entryPoints: ['src/engine/index.ts'], outfile: 'dist/vessel.mjs', format: 'esm', sourcemap: 'external',
    // better-sqlite3 and the lazy built-in loaders call require(): give the ESM bundle one
    banner: { js: "import { createRequire as __vesselCreateRequire } from 'node:module'; const require = __vesselCreateRequire(import.meta.url);" },
  });
  rmSync('dist/types', { recursive: true, force: true });
  const tsc = spawnSync(process.execPath, ['node_modules/typescript/bin/tsc', '-p', 'tsconfig.lib.json'], { stdio: 'inherit' });
  if (tsc.status !== 0) throw new Error('tsc could not emit the library declarations');
}

// caches written by runs of the previous build
rmSync('dist/cache', { recursive: true, force: true });
await Promise.all([
  library(),
  cjsWithCache('vessel-runtime', 'src/cli/runtime/main.ts', ['--version'], commandWords('src/cli/runtime/main.ts', /^  '?([a-z-]+)'?: \{\s*usage:/gm)),
  cjsWithCache('vessel', 'src/cli/engine/bin.ts', ['--help'], commandWords('src/cli/engine/commands/index.ts', /entry\('([a-z -]+)'/g)),
  cjsWithCache('vessel-dns', 'src/network/dns/main.ts'),
]);
