// The body of bench/rootless: as a real unprivileged user (created for the run, removed after), a
// busybox bundle of `/bin/true` run by `vessel-runtime run` and by `runc run`, each with its own
// `spec --rootless` config over the same root filesystem, alternating; prints both medians and the
// ratio. The skeleton of the rootless benchmark: `vessel run` against rootless podman
// follows once the engine runs rootless.
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { makeBusyboxRootfs } from '../test/fixtures/busybox.js';
import { createUnprivilegedUser, type UnprivilegedUser } from '../test/fixtures/unprivileged-user.js';

const rounds = Number(process.argv[2] ?? 30);
const RUNTIME = new URL('../dist/vessel-runtime.cjs', import.meta.url).pathname;

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? s[m]! : (s[m - 1]! + s[m]!) / 2;
}

function timedAs(u: UnprivilegedUser, cmd: string, args: string[], cwd: string): number {
  const [c, a] = u.argv(cmd, args);
  const t0 = process.hrtime.bigint();
  const r = spawnSync(c, a, { cwd, env: u.env(), stdio: ['ignore', 'ignore', 'pipe'], encoding: 'utf8' });
  const ms = Number(process.hrtime.bigint() - t0) / 1e6;
  if (r.status !== 0) throw new Error(`${cmd} ${args.join(' ')} exited ${r.status}: ${r.stderr}`);
  return ms;
}

/** `<runtime> spec --rootless` in `dir`, edited to run /bin/true without a terminal on `rootfs`. */
function rootlessBundle(u: UnprivilegedUser, dir: string, specCmd: [string, string[]], rootfs: string): void {
  mkdirSync(dir);
  execFileSync('chown', [`${u.uid}:${u.gid}`, dir]);
  const r = u.run(specCmd[0], specCmd[1], { cwd: dir });
  if (r.status !== 0) throw new Error(`${specCmd.join(' ')}: ${r.stderr}`);
  const spec = JSON.parse(readFileSync(join(dir, 'config.json'), 'utf8'));
  spec.process.terminal = false;
  spec.process.args = ['/bin/true'];
  spec.root.path = rootfs;
  u.writeFile(join(dir, 'config.json'), JSON.stringify(spec));
}

// The user's environment is built from scratch, so NODE_EXTRA_CA_CERTS (which this sandbox sets,
// and which costs every Node start about 35 ms) does not reach the timed runs.
if (process.env.NODE_EXTRA_CA_CERTS) console.log('note: NODE_EXTRA_CA_CERTS is not passed to the timed runs (the user gets a fresh login environment)');
const u = createUnprivilegedUser();
try {
  const rootfs = join(u.home, 'rootfs');
  makeBusyboxRootfs(rootfs);
  execFileSync('chown', ['-R', `${u.uid}:${u.gid}`, rootfs]);
  const vesselBundle = join(u.home, 'vessel');
  const runcBundle = join(u.home, 'runc');
  rootlessBundle(u, vesselBundle, [process.execPath, [RUNTIME, 'spec', '--rootless']], rootfs);
  rootlessBundle(u, runcBundle, ['runc', ['spec', '--rootless']], rootfs);
  const run = {
    vessel: (i: number) => timedAs(u, process.execPath, [RUNTIME, '--root', join(vesselBundle, 'state'), 'run', `bench-${i}`], vesselBundle),
    runc: (i: number) => timedAs(u, 'runc', ['--root', join(runcBundle, 'state'), 'run', `bench-${i}`], runcBundle),
  };
  // Untimed warm-up: page cache, and the code cache of vessel-runtime's `run` command.
  run.vessel(-1);
  run.runc(-1);
  const times = { vessel: [] as number[], runc: [] as number[] };
  for (let i = 0; i < rounds; i++) {
    times.vessel.push(run.vessel(i));
    times.runc.push(run.runc(i));
  }
  const v = median(times.vessel);
  const r = median(times.runc);
  console.log(`rootless runtime-start (as ${u.name}): vessel-runtime run ${v.toFixed(1)} ms, runc run ${r.toFixed(1)} ms (median of ${rounds}): ratio ${(v / r).toFixed(2)}x`);
} finally {
  await u.remove();
}
