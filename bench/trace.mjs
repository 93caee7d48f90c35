#!/usr/bin/env node
// What --trace costs. Alternates, round by round, `vessel run --rm --network none busybox true`
// and `vessel-runtime run` of /bin/true in a busybox bundle: with tracing off, with --trace (the
// text timeline, written to a pipe), and, when VESSEL_BASELINE names a checkout built without the
// tracing code (e.g. the main branch), that build too; prints the medians and the ratios.
// Usage: [VESSEL_BASELINE=/path/to/checkout] node bench/trace.mjs [ROUNDS]   (default 20)
import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { busyboxBundle, median, timeRun } from './lib.mjs';

// Wall time hides a cost under other processes' load; the CPU time (user + system) of the command
// and the descendants it waits for shows it anyway. Node cannot read its children's rusage, so a
// few lines of Python run the command and report both (microsecond resolution, from wait4).
const MEASURE = `import os, sys, time
t = time.monotonic()
pid = os.fork()
if pid == 0:
    os.dup2(os.open(os.devnull, os.O_WRONLY), 1)
    os.execv(sys.argv[1], sys.argv[1:])
_, status, ru = os.wait4(pid, 0)
print(f"{(time.monotonic() - t) * 1000:.3f} {(ru.ru_utime + ru.ru_stime) * 1000:.3f} {os.waitstatus_to_exitcode(status)}")`;

function measure(args, env) {
  const r = spawnSync('python3', ['-c', MEASURE, process.execPath, ...args], { env, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
  const [wall, cpu, code] = (r.stdout ?? '').trim().split(' ').map(Number);
  if (r.status !== 0 || code !== 0) throw new Error(`${args.join(' ')} failed (${code ?? r.status}): ${r.stderr}`);
  return { wall, cpu };
}

const rounds = Number(process.argv[2] ?? 20);
const here = new URL('..', import.meta.url).pathname;
const baseline = process.env.VESSEL_BASELINE;
if (baseline && !existsSync(join(baseline, 'dist', 'vessel.cjs'))) throw new Error(`VESSEL_BASELINE=${baseline} has no dist/vessel.cjs: build it first`);

// Node parses every certificate in NODE_EXTRA_CA_CERTS at each start, before any of vessel's code
// runs (about 35 ms here, where the sandbox sets it); neither command makes a TLS connection.
const env = { ...process.env };
if (env.NODE_EXTRA_CA_CERTS) {
  console.log(`note: NODE_EXTRA_CA_CERTS is cleared for the timed runs (Node would load ${env.NODE_EXTRA_CA_CERTS} at every start)`);
  delete env.NODE_EXTRA_CA_CERTS;
}

const builds = { off: here, on: here, ...(baseline ? { baseline } : {}) };
const traceArgs = { off: [], on: ['--trace'], baseline: [] };
const root = mkdtempSync(join(tmpdir(), 'vessel-bench-trace-'));
const bundle = busyboxBundle(['/bin/true']);
const engine = (variant) => [join(builds[variant], 'dist', 'vessel.cjs'), '--root', root, ...traceArgs[variant], 'run', '--rm', '--network', 'none', 'busybox', 'true'];
let n = 0;
const runtime = (variant) => [join(builds[variant], 'dist', 'vessel-runtime.cjs'), '--root', join(bundle, `state-${variant}`), ...traceArgs[variant], 'run', '--bundle', bundle, `bench-trace-${process.pid}-${n++}`];

const times = Object.fromEntries(Object.keys(builds).flatMap((v) => [[`engine ${v}`, []], [`runtime ${v}`, []]]));
try {
  execFileSync('sh', [join(here, 'scripts/import-busybox.sh'), '--root', root], { stdio: 'ignore' });
  // untimed: each build writes the code cache of each command on its first run
  for (const v of Object.keys(builds)) {
    timeRun(process.execPath, engine(v), { env });
    timeRun(process.execPath, runtime(v), { env });
  }
  // a new order each round: a run pays for the kernel's cleanup after the one before it
  const shuffled = () => Object.keys(builds).sort(() => Math.random() - 0.5);
  for (let i = 0; i < rounds; i++) {
    for (const v of shuffled()) times[`engine ${v}`].push(measure(engine(v), env));
    for (const v of shuffled()) times[`runtime ${v}`].push(measure(runtime(v), env));
  }
} finally {
  try {
    execFileSync(process.execPath, [join(here, 'dist', 'vessel.cjs'), '--root', root, 'system', 'reset', '-f'], { stdio: 'ignore' });
  } finally {
    rmSync(root, { recursive: true, force: true });
    rmSync(bundle, { recursive: true, force: true });
  }
}

// Medians, and minimums: on a busy machine other processes only ever add time, so the fastest
// run of each is the steadier comparison of what the code itself costs.
const stats = { median, minimum: (xs) => Math.min(...xs) };
for (const [what, label] of [['engine', 'vessel run --rm --network none busybox true'], ['runtime', 'vessel-runtime run (/bin/true, busybox bundle)']]) {
  console.log(`${label}, ${rounds} rounds:`);
  for (const clock of ['wall', 'cpu']) {
    for (const [name, f] of Object.entries(stats)) {
      const m = (v) => f(times[`${what} ${v}`].map((t) => t[clock]));
      const base = baseline ? `, baseline ${m('baseline').toFixed(1)} ms` : '';
      const vsBase = baseline ? `; off / baseline ${(m('off') / m('baseline')).toFixed(3)}` : '';
      console.log(`  ${clock} ${name}: off ${m('off').toFixed(1)} ms, --trace ${m('on').toFixed(1)} ms${base}; --trace / off ${(m('on') / m('off')).toFixed(3)}${vsBase}`);
    }
  }
}
console.log('targets: --trace / off <= 1.10; off / baseline: no measurable difference');
