// Rootless vessel-runtime on cgroup v2, run inside the VM by test/vm/run-cgroup2-tests.sh (never on
// the v1 host): with a subtree delegated to the user (as systemd delegates user@UID.service), a
// container's limits apply in it; without one, the container runs with no cgroup and says so once.
// The VM's root file system is read-only, so the user is a bare uid with no passwd entry.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { chownSync, closeSync, existsSync, mkdirSync, mkdtempSync, openSync, readFileSync, rmdirSync, rmSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { after, before, test } from 'node:test';
import { defaultSpec } from '../../src/runtime/verbs/spec.js';
import { makeBusyboxRootfs } from '../fixtures/busybox.js';

const UID = 4242;
const RUNTIME = resolve('dist/vessel-runtime.cjs');
const CG = '/sys/fs/cgroup';
const DELEGATED = 'vessel-rootless-test';

let home: string;
let bundle: string;

/** Runs vessel-runtime as the user, from a leaf cgroup of its delegated subtree (as a login session would). */
function runtimeAsUser(args: string[]): { status: number | null; stdout: string; stderr: string } {
  const out = join(home, `out.${Date.now()}`);
  const err = `${out}.err`;
  const outFd = openSync(out, 'w');
  const errFd = openSync(err, 'w');
  try {
    const script = `echo $$ > ${CG}/${DELEGATED}/launcher/cgroup.procs && exec setpriv --reuid=${UID} --regid=${UID} --clear-groups --inh-caps=-all --ambient-caps=-all "$@"`;
    const r = spawnSync('sh', ['-c', script, 'sh', process.execPath, RUNTIME, ...args], {
      cwd: bundle, stdio: ['ignore', outFd, errFd], timeout: 120_000,
      env: { PATH: process.env.PATH, HOME: home, XDG_RUNTIME_DIR: join(home, 'run'), USER: String(UID) },
    });
    return { status: r.status, stdout: readFileSync(out, 'utf8'), stderr: readFileSync(err, 'utf8') };
  } finally {
    closeSync(outFd);
    closeSync(errFd);
  }
}

function writeSpec(cgroupsPath: string | undefined): void {
  const s = defaultSpec({ rootless: true, uid: UID, gid: UID });
  s.process!.terminal = false;
  s.process!.args = ['sleep', '300'];
  s.linux!.cgroupsPath = cgroupsPath;
  s.linux!.resources = { memory: { limit: 64 * 1024 * 1024 }, pids: { limit: 16 }, cpu: { shares: 512 } };
  writeFileSync(join(bundle, 'config.json'), JSON.stringify(s));
}

before(() => {
  home = mkdtempSync('/tmp/vessel-rootless-home-');
  mkdirSync(join(home, 'run'), { mode: 0o700 });
  bundle = join(home, 'bundle');
  makeBusyboxRootfs(join(bundle, 'rootfs'));
  spawnSync('chown', ['-R', `${UID}:${UID}`, home]);
  // What systemd does for user@UID.service: controllers enabled down to the subtree, the subtree's
  // directory and its control files given to the user, its processes kept in a leaf.
  writeFileSync(`${CG}/cgroup.subtree_control`, '+memory +pids +cpu');
  for (const dir of [DELEGATED, `${DELEGATED}/launcher`]) {
    mkdirSync(`${CG}/${dir}`);
    for (const f of ['', 'cgroup.procs', 'cgroup.threads', 'cgroup.subtree_control']) chownSync(join(CG, dir, f), UID, UID);
  }
  writeFileSync(`${CG}/${DELEGATED}/cgroup.subtree_control`, '+memory +pids +cpu');
});

after(() => {
  for (const dir of [`${DELEGATED}/launcher`, DELEGATED]) if (existsSync(`${CG}/${dir}`)) rmdirSync(`${CG}/${dir}`);
  rmSync(home, { recursive: true, force: true });
});

test('rootless v2: limits apply in the subtree delegated to the user', () => {
  writeSpec(`/${DELEGATED}/ctr`);
  const run = runtimeAsUser(['run', '--detach', 'deleg']);
  assert.equal(run.status, 0, run.stderr);
  assert.equal(run.stderr, '', 'no warning: the cgroup is the user\'s own');
  try {
    const dir = `${CG}/${DELEGATED}/ctr`;
    assert.equal(readFileSync(`${dir}/memory.max`, 'utf8').trim(), String(64 * 1024 * 1024));
    assert.equal(readFileSync(`${dir}/pids.max`, 'utf8').trim(), '16');
    assert.notEqual(readFileSync(`${dir}/cpu.weight`, 'utf8').trim(), '100');
    const state = JSON.parse(runtimeAsUser(['state', 'deleg']).stdout) as { pid: number };
    assert.ok(readFileSync(`${dir}/cgroup.procs`, 'utf8').split('\n').includes(String(state.pid)));
    // The pids limit holds: forks beyond 16 fail inside the container.
    const forks = runtimeAsUser(['exec', 'deleg', 'sh', '-c', 'i=0; while [ $i -lt 30 ]; do sleep 5 & i=$((i+1)); done 2>&1; echo done']);
    assert.match(forks.stdout + forks.stderr, /can't fork|Resource temporarily unavailable/);
  } finally {
    assert.equal(runtimeAsUser(['delete', '--force', 'deleg']).status, 0);
  }
  assert.ok(!existsSync(`${CG}/${DELEGATED}/ctr`));
  assert.ok(existsSync(`${CG}/${DELEGATED}`), 'the delegated subtree itself is left alone');
});

test('rootless v2: outside a delegated subtree the container has no cgroup, and says once that limits are not enforced', () => {
  writeSpec(undefined);
  const run = runtimeAsUser(['run', '--detach', 'undeleg']);
  try {
    assert.equal(run.status, 0, run.stderr);
    assert.equal(run.stderr.trim().split('\n').length, 1, run.stderr);
    assert.match(run.stderr, /runs without a cgroup \(running rootless, and the cgroup tree at \/vessel\/undeleg is not delegated to this user\): its memory, cpu, pids limits are not enforced/);
    assert.ok(!existsSync(`${CG}/vessel/undeleg`));
  } finally {
    runtimeAsUser(['delete', '--force', 'undeleg']);
  }
});
