// Runs the test suites with Node's test runner: `npm test` runs unit, integration and e2e;
// `npm test -- unit` (or integration, e2e) runs one suite; a path runs that file.
import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';

const suites = ['unit', 'integration', 'e2e'];
// Suites run only when named: they need peers (podman...) that the default suite does not install.
const optional = ['interop'];
const wanted = process.argv.slice(2);

function collect(dir) {
  if (!existsSync(dir)) return [];
  return readdirSync(dir).flatMap((name) => {
    const p = join(dir, name);
    if (statSync(p).isDirectory()) return collect(p);
    return name.endsWith('.test.ts') ? [p] : [];
  });
}

const files = (wanted.length ? wanted : suites)
  .flatMap((w) => (suites.includes(w) || optional.includes(w) ? collect(join('test', w)) : [w]))
  .sort();
if (files.length === 0) {
  console.error('no test files found');
  process.exit(1);
}
// One file at a time: integration tests compare host-wide state (iptables, links, mounts) before
// and after, which another file running at the same moment would change.
const concurrency = process.env.VESSEL_TEST_CONCURRENCY ?? '1';
const r = spawnSync(
  process.execPath,
  ['--import', 'tsx', '--test', `--test-concurrency=${concurrency}`, '--test-reporter=spec', ...files],
  { stdio: 'inherit' },
);
process.exit(r.status ?? 1);
