// The plans the runtime builds: ordering rules that the kernel or security depend on.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { Op, type PlanOp } from '../../src/sys/plan.js';
import { buildExecPlan } from '../../src/runtime/plan/exec.js';
import { buildInitPlan, closeOtherFds } from '../../src/runtime/plan/init.js';
import { components, ensurePath } from '../../src/runtime/plan/paths.js';
import { parseMountOptions } from '../../src/runtime/mount-options.js';
import { testSpec } from '../fixtures/bundle.js';

const PR_SET_DUMPABLE = 4;
const codes = (ops: PlanOp[]) => ops.map((o) => o[0]);

function initPlan(edit?: Parameters<typeof testSpec>[1], extra: Partial<Parameters<typeof buildInitPlan>[0]> = {}) {
  const spec = testSpec(['true'], edit);
  return buildInitPlan({
    spec, bundle: '/b', rootfs: '/b/rootfs', syncFd: 10, fifoFd: 11, stateDirFd: 12, preserveFds: 0, noPivot: false,
    cgroupPath: '/vessel/x', hostCgroups: [], namespaces: { newTypes: new Set(['mount', 'pid', 'uts']), joined: [] }, setGroups: true, rootless: false, ...extra,
  }).ops;
}

describe('runtime plans', () => {
  it('close every fd but stdio, preserved ones and the plan\'s own', () => {
    assert.deepEqual(closeOtherFds(2, [10, 12]), [
      [Op.CLOSE_RANGE, 5, 9, 0], [Op.CLOSE_RANGE, 11, 11, 0], [Op.CLOSE_RANGE, 13, 0xffffffff, 0], [Op.INHERIT_FDS, 0, 4],
    ]);
  });

  it('make the process non-dumpable before it forks into the container (init and exec)', () => {
    for (const ops of [initPlan(), buildExecPlan({ process: testSpec(['true']).process!, syncFd: 10, preserveFds: 0, namespaces: { newTypes: new Set(), joined: [] }, setGroups: true }).ops]) {
      const dumpable = ops.findIndex((o) => o[0] === Op.PRCTL && o[1] === PR_SET_DUMPABLE && o[2] === 0);
      const fork = ops.findIndex((o) => o[0] === Op.FORK);
      assert.ok(dumpable >= 0 && dumpable < fork);
    }
  });

  it('drop the bounding set before the uid switch, and install seccomp last with no_new_privs', () => {
    const ops = initPlan((s) => {
      s.process!.user = { uid: 1000, gid: 1000 };
      s.process!.noNewPrivileges = true;
    }, { seccomp: { filter: Buffer.alloc(8), flags: 0 } });
    const c = codes(ops);
    assert.ok(c.indexOf(Op.CAP_BOUND) < c.indexOf(Op.SETRESUID));
    assert.ok(c.indexOf(Op.SETRESUID) < c.indexOf(Op.CAPSET));
    assert.equal(c[c.length - 2], Op.SECCOMP);
    assert.equal(c[c.length - 1], Op.EXEC);
  });

  it('pivot only after mounts, and signal "created" only after the program was found', () => {
    const c = codes(initPlan());
    assert.ok(c.lastIndexOf(Op.MOUNT_AT) < c.indexOf(Op.PIVOT_ROOT));
    assert.ok(c.indexOf(Op.CHECK_EXEC) < c.indexOf(Op.WAIT_FIFO));
    assert.ok(c.indexOf(Op.WAIT_FIFO) < c.indexOf(Op.EXEC));
  });

  it('with a supervisor, fork first and exec the supervisor from the parent branch', () => {
    const ops = initPlan(undefined, { supervisor: { path: '/sup', argv: ['sup'], env: [], inheritFds: [7] } });
    const [first] = ops;
    assert.equal(first![0], Op.FORK);
    const target = first![2] as number;
    assert.deepEqual(ops.slice(target).map((o) => o[0]), [Op.SETSID, Op.INHERIT_FDS, Op.EXEC]);
    assert.equal(ops[target - 1]![0], Op.EXEC, 'the container branch ends with its own execve');
  });

  it('resolve mount destinations as path components inside the root', () => {
    assert.deepEqual(components('/a/../../b/./c/'), ['b', 'c']);
    assert.deepEqual(ensurePath(9, ['x', 'y'], 'file'), [[Op.MKDIR_AT, 9, '', 'x', 0o755], [Op.MKFILE_AT, 9, 'x', 'y', 0o644]]);
    const o = parseMountOptions(['rbind', 'ro', 'nosuid', 'rslave', 'size=1m', 'mode=755']);
    assert.equal(o.isBind, true);
    assert.equal(o.data, 'size=1m,mode=755');
    assert.equal(o.propagation.length, 1);
  });
});
