// Bundles each CLI into one ESM file: one file to read and compile is what keeps start-up fast.
import { chmodSync, existsSync } from 'node:fs';
import { build } from 'esbuild';

const entries = { 'vessel-runtime': 'src/cli/runtime/main.ts', vessel: 'src/cli/engine/main.ts' };
await Promise.all(
  Object.entries(entries)
    .filter(([, entry]) => existsSync(entry))
    .map(async ([name, entry]) => {
      const outfile = `dist/${name}.mjs`;
      await build({
        entryPoints: [entry],
        outfile,
        bundle: true,
        platform: 'node',
        format: 'esm',
        target: 'node20',
        external: ['better-sqlite3'],
        banner: { js: '#!/usr/bin/env node' },
        logLevel: 'warning',
      });
      chmodSync(outfile, 0o755);
    }),
);
