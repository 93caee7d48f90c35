// create with a supervisor: the first process becomes the supervisor, stays in the host's cgroup,
// and is the parent of the container's init.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { after, before, describe, it } from 'node:test';
import * as rt from '../../src/runtime/index.js';
import { readProcessStat } from '../../src/runtime/process-info.js';
import { makeBundle, testSpec, uniqueId, type TestBundle } from '../fixtures/bundle.js';

describe('runtime create under a supervisor', () => {
  let b: TestBundle;
  before(() => {
    b = makeBundle();
    b.write(testSpec(['sleep', '30']));
  });
  after(() => b.cleanup());

  it('makes the supervisor the init\'s parent and keeps it out of the container cgroup', () => {
    const ctx = rt.runtimeContext(b.stateRoot);
    // Several times: the placement once depended on which of two processes spoke first.
    for (let i = 0; i < 5; i++) {
      const id = uniqueId();
      const rec = rt.create(ctx, { id, bundle: b.dir, supervisor: { path: '/bin/busybox', argv: ['sleep', '30'], env: [], inheritFds: [] } });
      try {
        assert.ok(rec.supervisorPid && rec.supervisorPid !== rec.pid);
        assert.equal(readProcessStat(rec.pid)?.ppid, rec.supervisorPid);
        // The init is in the container's cgroup, the supervisor is not. (The process that forked the
        // init may still be exiting: it belongs there too.)
        const members = readFileSync(`/sys/fs/cgroup/pids/vessel/${id}/cgroup.procs`, 'utf8').trim().split('\n').map(Number);
        assert.ok(members.includes(rec.pid));
        assert.ok(!members.includes(rec.supervisorPid!), `supervisor ${rec.supervisorPid} in ${members}`);
      } finally {
        rt.deleteContainer(ctx, id, true);
        process.kill(rec.supervisorPid!, 'SIGKILL');
      }
    }
  });
});
