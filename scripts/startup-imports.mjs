// Which Node built-ins (or, given a second argument, which of our modules matching it) a module's
// static import graph loads, each with the chain of imports that pulls it in. Start-up time is a
// target: use it to keep a hot command's graph free of what only other commands need.
// Usage: node scripts/startup-imports.mjs src/cli/engine/commands/run.ts [PATTERN]
import { build } from 'esbuild';
const entry = process.argv[2];
const r = await build({ entryPoints: [entry], bundle: true, platform: 'node', format: 'esm', write: false, metafile: true, external: ['better-sqlite3'], logLevel: 'silent', outdir: '/tmp/x' });
const inputs = r.metafile.inputs;
const seen = new Map(); const stack = [[entry, null]];
while (stack.length) { const [f, via] = stack.pop(); if (seen.has(f)) continue; seen.set(f, via); for (const i of inputs[f]?.imports ?? []) if (i.kind === 'import-statement') { if (i.path.startsWith('node:') || !inputs[i.path]) { const k = i.path; if (!seen.has(k)) seen.set(k, f); } else stack.push([i.path, f]); } }
const want = process.argv[3];
for (const [f, via] of seen) if (!want ? f.startsWith('node:') : f.includes(want)) { const chain = [f]; let v = via; while (v) { chain.push(v); v = seen.get(v); } console.log(chain.join(' <- ')); }
