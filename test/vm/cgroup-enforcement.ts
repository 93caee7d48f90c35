// Enforcement tests shared by both drivers: test/integration/cgroups-enforcement.test.ts runs them
// on this host with its own driver (v1 here) and test/vm/cgroups-v2.test.ts inside the cgroup v2 VM.
// Each proves a limit by its effect on a real process, not by the file it wrote.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { after, test } from 'node:test';
import { detectCgroupDriver } from '../../src/cgroups/index.js';
import type { CgroupDriver } from '../../src/cgroups/index.js';
import { emptyCgroup, pollUntil, processTicks, scratchCgroups, scratchLoopDevice, sleepSync, startInCgroup, waitFor } from './cgroup-workload.js';

const MiB = 1024 * 1024;
const TICKS_PER_SECOND = 100;

/** The tolerances the emulated VM needs are wider than the host's. */
export interface SuiteOptions {
  cpuShareRange: [number, number];
}

export function cgroupEnforcementSuite(driver: CgroupDriver, options: SuiteOptions): void {
  const cgroups = scratchCgroups();
  after(() => cgroups.cleanup());

  test(`detects the ${driver} driver`, () => {
    assert.equal(detectCgroupDriver(), driver);
  });

  test('a process over its memory limit is OOM-killed', async () => {
    const cg = cgroups.make('oom');
    cg.apply({ memory: { limit: 16 * MiB, swap: 16 * MiB } });
    assert.equal(cg.oomKillCount(), 0);
    // the shell itself holds the 100 MB string it reads, so it is the one over the limit
    const w = startInCgroup(cg, 'v=$(yes | head -c 100000000); echo survived ${#v}');
    const { signal } = await w.exited;
    assert.equal(signal, 'SIGKILL', `stdout: ${w.stdout()} stderr: ${w.stderr()}`);
    assert.doesNotMatch(w.stdout(), /survived/);
    assert.ok(cg.oomKillCount() >= 1, 'oom_kill counter');
    const stats = cg.stats();
    assert.equal(stats.memory.limit, 16 * MiB);
    assert.ok((stats.memory.oomKills ?? 0) >= 1);
  });

  test('a fork bomb stops at pids.max', async () => {
    const cg = cgroups.make('pids');
    cg.apply({ pids: { limit: 8 } });
    const w = startInCgroup(cg, 'i=0; while [ $i -lt 40 ]; do sleep 5 & i=$((i+1)); echo $i; done; echo done');
    await w.exited;
    const started = w.stdout().trim().split('\n').filter((l) => /^\d+$/.test(l)).length;
    assert.match(w.stderr(), /fork/i);
    assert.doesNotMatch(w.stdout(), /done/);
    assert.ok(started <= 7, `the shell plus at most 7 sleeps fit in 8 pids, started ${started}`);
    const stats = cg.stats();
    assert.equal(stats.pids.limit, 8);
    assert.ok(stats.pids.current >= 1 && stats.pids.current <= 8, `pids.current ${stats.pids.current}`);
    emptyCgroup(cg);
  });

  test('a busy loop under a 0.2 CPU quota uses about 20% of a core', async () => {
    const cg = cgroups.make('cpu');
    cg.apply({ cpu: { quota: 20000, period: 100000 } });
    const w = startInCgroup(cg, 'while :; do :; done');
    try {
      sleepSync(300);
      const t0 = Date.now();
      const u0 = cg.stats().cpu.usageNs;
      await new Promise((r) => setTimeout(r, 1500));
      const share = (cg.stats().cpu.usageNs - u0) / ((Date.now() - t0) * 1e6);
      const [lo, hi] = options.cpuShareRange;
      assert.ok(share >= lo && share <= hi, `CPU share ${share.toFixed(3)} outside [${lo}, ${hi}]`);
      assert.ok(cg.stats().cpu.throttledPeriods > 0, 'throttled periods');
    } finally {
      emptyCgroup(cg);
      await w.exited;
    }
  });

  test('cpuset pins the process to the named CPU', async () => {
    const cg = cgroups.make('cpuset');
    cg.apply({ cpu: { cpus: '1' } });
    const w = startInCgroup(cg, 'while :; do :; done');
    try {
      sleepSync(200);
      const status = readFileSync(`/proc/${w.pid}/status`, 'utf8');
      assert.match(status, /^Cpus_allowed_list:\s+1$/m);
      const stat = readFileSync(`/proc/${w.pid}/stat`, 'utf8');
      const processor = stat.slice(stat.lastIndexOf(')') + 2).split(' ')[36];
      assert.equal(processor, '1', 'last CPU the task ran on');
    } finally {
      emptyCgroup(cg);
      await w.exited;
    }
  });

  test('a denied device cannot be opened, and an update allows it', async () => {
    const cg = cgroups.make('devices');
    cg.apply({ devices: [{ allow: false, access: 'rwm' }, { allow: true, type: 'c', major: 1, minor: 5, access: 'r' }] });
    const denied = startInCgroup(cg, 'head -c1 /dev/zero | wc -c; head -c1 /dev/null; echo null=$?; echo x >/dev/zero; echo zero-write=$?');
    await denied.exited;
    assert.match(denied.stdout(), /^1$/m, 'reading the allowed /dev/zero works');
    assert.match(denied.stdout(), /null=1/);
    assert.match(denied.stderr(), /\/dev\/null: Operation not permitted/);
    assert.match(denied.stdout(), /zero-write=[12]/, 'write access was not granted');
    cg.apply({ devices: [{ allow: false, access: 'rwm' }, { allow: true, type: 'c', major: 1, minor: 3, access: 'rwm' }] });
    const allowed = startInCgroup(cg, 'head -c1 /dev/null; echo null=$?; head -c1 /dev/zero; echo zero=$?');
    await allowed.exited;
    assert.match(allowed.stdout(), /null=0/);
    assert.match(allowed.stdout(), /zero=1/, 'the update replaced the earlier rules');
  });

  test('freeze stops a process and thaw resumes it', async () => {
    const cg = cgroups.make('freezer');
    const w = startInCgroup(cg, 'while :; do :; done');
    try {
      sleepSync(200);
      cg.freeze();
      assert.equal(cg.isFrozen(), true);
      const frozenAt = processTicks(w.pid);
      sleepSync(400);
      assert.equal(processTicks(w.pid), frozenAt, 'no CPU time while frozen');
      cg.thaw();
      assert.equal(cg.isFrozen(), false);
      assert.ok(pollUntil(() => processTicks(w.pid) > frozenAt + TICKS_PER_SECOND / 10, 3000), 'runs again after thaw');
    } finally {
      emptyCgroup(cg);
      await w.exited;
    }
  });

  test('stats report usage, and limits change on a live cgroup', async () => {
    const cg = cgroups.make('stats');
    cg.apply({ memory: { limit: 64 * MiB, swap: 64 * MiB }, pids: { limit: 50 } });
    const w = startInCgroup(cg, 'v=$(yes | head -c 4000000); i=0; while [ $i -lt 2000 ]; do i=$((i+1)); done; echo ready; read x');
    try {
      assert.ok(await waitFor(() => w.stdout().includes('ready'), 20000), 'workload finished its work');
      // growing then shrinking memory+swap needs the writes in the right order each time
      cg.apply({ memory: { limit: 128 * MiB, swap: 256 * MiB }, pids: { limit: 20 } });
      cg.apply({ memory: { limit: 48 * MiB, swap: 48 * MiB } });
      const s = cg.stats();
      assert.ok(s.cpu.usageNs > 0 && s.cpu.userNs + s.cpu.systemNs > 0, JSON.stringify(s.cpu));
      assert.ok(s.memory.usage > 4_000_000, `memory usage ${s.memory.usage}`);
      assert.equal(s.memory.limit, 48 * MiB);
      assert.deepEqual(s.pids, { current: 1, limit: 20 });
      assert.deepEqual(cg.pids(), [w.pid]);
    } finally {
      emptyCgroup(cg);
      await w.exited;
    }
  });

  test('a read throttle slows direct reads of a block device', async (t) => {
    const loop = scratchLoopDevice();
    t.after(() => loop.cleanup());
    const cg = cgroups.make('blkio');
    cg.apply({ blockIO: { throttleReadBpsDevice: [{ major: loop.major, minor: loop.minor, rate: 1 * MiB }] } });
    const start = Date.now();
    const w = startInCgroup(cg, `dd if=${loop.device} of=/dev/null bs=64k count=40 iflag=direct; echo rc=$?`);
    await w.exited;
    const seconds = (Date.now() - start) / 1000;
    assert.match(w.stdout(), /rc=0/, w.stderr());
    assert.ok(seconds >= 1.5, `2.5 MiB at 1 MiB/s took ${seconds.toFixed(2)} s`);
    assert.ok(cg.stats().blkio.readBytes >= 2 * MiB, JSON.stringify(cg.stats().blkio));
  });

  test('destroy removes the cgroup and is idempotent', () => {
    const cg = cgroups.make('destroy');
    assert.equal(cg.exists(), true);
    cg.destroy();
    assert.equal(cg.exists(), false);
    cg.destroy();
  });
}
