// `kill` of a stopped container, as containerd's runc shim uses it: a plain kill must fail with
// runc's "container not running" (the shim reads that as "already exited"), and `kill --all` must
// still signal the processes left in the container's cgroup (the shim's clean-up of an init's
// children when the container has no pid namespace of its own). Compared with runc on the same bundle.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync, readdirSync, rmdirSync } from 'node:fs';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { makeBundle, testSpec, uniqueId, type TestBundle } from '../fixtures/bundle.js';

const RUNC = '/usr/sbin/runc';
const PARENT = `vessel-kill-test-${process.pid}`;

function gone(pid: number): boolean {
  if (!existsSync(`/proc/${pid}/stat`)) return true;
  return readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]!.startsWith('Z');
}

function waitFor(what: string, fn: () => boolean, timeoutMs = 10_000): void {
  const end = Date.now() + timeoutMs;
  while (!fn()) {
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    spawnSync('sleep', ['0.05']);
  }
}

for (const runtime of ['vessel-runtime', 'runc'] as const) {
  describe(`${runtime}: kill of a stopped container`, { skip: runtime === 'runc' && !existsSync(RUNC) ? 'needs runc (apt-get install runc)' : undefined }, () => {
    const b: TestBundle = makeBundle();
    const id = uniqueId('kill');
    const rt = (args: string[]) => {
      if (runtime === 'vessel-runtime') return b.runtime(args);
      return spawnSync(RUNC, ['--root', join(b.stateRoot, 'runc'), ...args], { cwd: b.dir, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'], timeout: 20_000 });
    };
    let child = 0;
    after(() => {
      if (child && !gone(child)) process.kill(child, 'SIGKILL');
      rt(['delete', '--force', id]);
      b.cleanup();
      // the parent both runtimes made for this test's cgroup
      for (const h of readdirSync('/sys/fs/cgroup')) if (existsSync(`/sys/fs/cgroup/${h}/${PARENT}`)) rmdirSync(`/sys/fs/cgroup/${h}/${PARENT}`);
    });

    it('fails with "container not running"; --all signals what is left in its cgroup', () => {
      // no pid namespace: the init's child outlives it, in the container's cgroup
      b.write(testSpec(['sh', '-c', 'sleep 1000 & echo $! > /tmp/child; exit 0'], (s) => {
        s.linux!.namespaces = s.linux!.namespaces!.filter((n) => n.type !== 'pid');
        s.linux!.cgroupsPath = `/${PARENT}/${id}`;
      }));
      // output to files: the detached container keeps the runtime's stdio
      const r = runtime === 'vessel-runtime' ? b.runtime(['run', '-d', id]) : spawnSync(RUNC, ['--root', join(b.stateRoot, 'runc'), 'run', '-d', id], { cwd: b.dir, stdio: 'ignore', timeout: 20_000 });
      assert.equal(r.status, 0, String(r.stderr));
      waitFor('the init to exit', () => rt(['state', id]).stdout.includes('"stopped"'));
      child = Number(readFileSync(join(b.rootfs, 'tmp/child'), 'utf8'));
      assert.ok(child > 0 && !gone(child), 'the init left a child running');

      const plain = rt(['kill', id, 'KILL']);
      assert.notEqual(plain.status, 0);
      assert.match(plain.stderr, /container not running/);

      const all = rt(['kill', '--all', id, 'KILL']);
      assert.equal(all.status, 0, all.stderr);
      waitFor('the child to die', () => gone(child));
      assert.equal(rt(['delete', id]).status, 0);
      assert.equal(existsSync(`/sys/fs/cgroup/memory/${PARENT}/${id}`), false);
    });
  });
}
