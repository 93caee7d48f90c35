// The body of bench/cri. containerd runs from the test fixture (its own socket, directories, CNI
// bridge and subnet) with two handlers through containerd-shim-runc-v2: `vessel` and `runc`.
import { spawnSync } from 'node:child_process';
import { closeSync, mkdtempSync, openSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { BUSYBOX_IMAGE, RUNC, containerdMissing, startContainerd } from '../test/fixtures/containerd.js';
import { makeBusyboxRootfs } from '../test/fixtures/busybox.js';
import { defaultSpec } from '../src/runtime/index.js';

const rounds = Number(process.argv[2] ?? 15);
const VESSEL_RUNTIME = resolve('dist/vessel-runtime.cjs');
const HANDLERS = ['vessel', 'runc'] as const;

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? s[m]! : (s[m - 1]! + s[m]!) / 2;
}

const ms = (t0: bigint) => Number(process.hrtime.bigint() - t0) / 1e6;

async function podStartTimes(): Promise<Record<string, number[]>> {
  const cd = await startContainerd();
  const times: Record<string, number[]> = { vessel: [], runc: [] };
  try {
    const cycle = async (handler: string, n: number) => {
      const pod = { metadata: { name: `bench-${handler}-${n}`, uid: `bench-${handler}-${n}`, namespace: 'bench' }, log_directory: cd.logDir, linux: { cgroup_parent: cd.cgroupParent } };
      const t0 = process.hrtime.bigint();
      const podId = await cd.cri.runPodSandbox(pod, handler);
      const id = await cd.cri.createContainer(podId, { metadata: { name: 'c' }, image: { image: BUSYBOX_IMAGE }, command: ['sleep', '1000'], log_path: `c-${handler}-${n}.log` }, pod);
      await cd.cri.startContainer(id);
      const s = await cd.cri.containerStatus(id);
      if (s.state !== 'CONTAINER_RUNNING') throw new Error(`container in ${handler} pod is ${s.state}`);
      const t = ms(t0);
      await cd.cri.stopPodSandbox(podId);
      await cd.cri.removePodSandbox(podId);
      return t;
    };
    // untimed warm-up: page cache, the runtimes' code caches, containerd's first CNI call
    for (const h of HANDLERS) await cycle(h, -1);
    for (let i = 0; i < rounds; i++) {
      const order = i % 2 ? [...HANDLERS].reverse() : HANDLERS;
      for (const h of order) times[h]!.push(await cycle(h, i));
    }
  } finally {
    await cd.stop();
  }
  return times;
}

/** Each verb with the global flags containerd's runc shim passes (--root, --log, --log-format json). */
function verbTimes(): Record<string, Record<string, number[]>> {
  const dir = mkdtempSync(join(tmpdir(), 'vessel-bench-cri-'));
  const bundle = join(dir, 'bundle');
  makeBusyboxRootfs(join(bundle, 'rootfs'));
  const spec = defaultSpec();
  spec.process!.terminal = false;
  spec.process!.args = ['sleep', '1000'];
  writeFileSync(join(bundle, 'config.json'), JSON.stringify(spec));
  const verbs = ['create', 'state', 'start', 'kill', 'delete'];
  const times: Record<string, Record<string, number[]>> = { vessel: {}, runc: {} };
  for (const h of HANDLERS) for (const v of verbs) times[h]![v] = [];
  const run = (h: string, verb: string, args: string[]) => {
    const bin = h === 'vessel' ? VESSEL_RUNTIME : RUNC;
    const global = ['--root', join(dir, `root-${h}`), '--log', join(dir, `log-${h}.json`), '--log-format', 'json'];
    // stderr to a file, not a pipe: the container's init inherits it and would hold a pipe open
    const errFile = join(dir, 'stderr');
    const errFd = openSync(errFile, 'w');
    const t0 = process.hrtime.bigint();
    const r = spawnSync(bin, [...global, verb, ...args], { stdio: ['ignore', 'ignore', errFd], cwd: bundle });
    const t = ms(t0);
    closeSync(errFd);
    if (r.status !== 0) throw new Error(`${h} ${verb} exited ${r.status}: ${readFileSync(errFile, 'utf8')}`);
    times[h]![verb]!.push(t);
  };
  try {
    for (let i = -1; i < rounds; i++) {
      for (const h of i % 2 ? HANDLERS : [...HANDLERS].reverse()) {
        const id = `bench-${h}-${process.pid}-${i + 1}`;
        const pidFile = join(dir, `${id}.pid`);
        run(h, 'create', ['--bundle', bundle, '--pid-file', pidFile, id]);
        run(h, 'start', [id]);
        run(h, 'state', [id]);
        run(h, 'kill', [id, '9']);
        const pid = Number(readFileSync(pidFile, 'utf8'));
        for (let k = 0; k < 200 && spawnSync('kill', ['-0', String(pid)]).status === 0; k++) spawnSync('sleep', ['0.01']);
        run(h, 'delete', [id]);
        // the warm-up round is not counted
        if (i < 0) for (const v of verbs) times[h]![v]!.pop();
      }
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
  return times;
}

const why = containerdMissing();
if (why) {
  console.error(`bench/cri: ${why}`);
  process.exit(1);
}
if (process.env.NODE_EXTRA_CA_CERTS) {
  // containerd, its shims and so vessel-runtime inherit this environment; Node parses every
  // certificate in it at each start (tens of ms), and neither runtime makes a TLS connection
  console.log('bench/cri: NODE_EXTRA_CA_CERTS cleared for the timed runs');
  delete process.env.NODE_EXTRA_CA_CERTS;
}
const pods = await podStartTimes();
const v = median(pods.vessel!);
const r = median(pods.runc!);
console.log(`cri pod start (RunPodSandbox + CreateContainer + StartContainer, running), median of ${rounds}: vessel ${v.toFixed(0)} ms, runc ${r.toFixed(0)} ms: ratio ${(v / r).toFixed(2)}x (target <= 1.3x)`);
const verbs = verbTimes();
for (const verb of Object.keys(verbs.vessel!)) {
  const vv = median(verbs.vessel![verb]!);
  const rv = median(verbs.runc![verb]!);
  console.log(`  ${verb.padEnd(7)} vessel-runtime ${vv.toFixed(1).padStart(6)} ms   runc ${rv.toFixed(1).padStart(6)} ms   ${(vv / rv).toFixed(2)}x`);
}
