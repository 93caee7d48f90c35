#!/usr/bin/env node
// Times `vessel-runtime run` of /bin/true in a busybox bundle against `runc run` on the same bundle,
// alternating, and prints each one's median and the ratio. Usage: node bench/runtime-start.mjs [runs]
import { rmSync } from 'node:fs';
import { busyboxBundle, median, timeRun } from './lib.mjs';

const runs = Number(process.argv[2] ?? 30);
const vessel = new URL('../dist/vessel-runtime.cjs', import.meta.url).pathname;
const bundle = busyboxBundle(['/bin/true']);
const times = { vessel: [], runc: [] };
try {
  for (let i = 0; i < runs; i++) {
    times.vessel.push(timeRun(process.execPath, [vessel, '--root', `${bundle}/vstate`, 'run', '--bundle', bundle, `bench-v-${process.pid}-${i}`]));
    times.runc.push(timeRun('runc', ['--root', `${bundle}/rstate`, 'run', '--bundle', bundle, `bench-r-${process.pid}-${i}`]));
  }
} finally {
  rmSync(bundle, { recursive: true, force: true });
}
const v = median(times.vessel);
const r = median(times.runc);
console.log(`runtime-start: vessel-runtime run ${v.toFixed(1)} ms, runc run ${r.toFixed(1)} ms (median of ${runs}): ratio ${(v / r).toFixed(2)}x`);
