// The v2 driver against an in-memory cgroup filesystem and a fake bpf(2).
import assert from 'node:assert/strict';
import { mkdirSync, openSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import type { CgroupError } from '../../src/cgroups/errors.js';
import { ioMaxLines } from '../../src/cgroups/v2/io.js';
import { V2CgroupManager } from '../../src/cgroups/v2/manager.js';
import type { BpfSys } from '../../src/sys/bpf.js';
import { tempDir } from '../fixtures/busybox.js';
import { FakeCgroupFs } from './cgroups-fake-fs.js';

const LEAF = '/vessel/c1';
const ALL = 'cpuset cpu io memory hugetlb pids rdma misc';

function setup(root = '/cg', bpf?: BpfSys) {
  const d = `${root}${LEAF}`;
  const fs = new FakeCgroupFs({
    [`${root}/cgroup.controllers`]: ALL,
    [`${root}/cgroup.subtree_control`]: 'cpu memory',
    [`${root}/vessel/cgroup.controllers`]: ALL,
    [`${root}/vessel/cgroup.subtree_control`]: '',
    [`${d}/cgroup.controllers`]: 'cpuset cpu io memory pids',
    [`${d}/cpu.weight`]: '100',
    [`${d}/cpu.max`]: 'max 100000',
    [`${d}/memory.max`]: 'max',
    [`${d}/memory.low`]: '0',
    [`${d}/memory.swap.max`]: 'max',
    [`${d}/memory.high`]: 'max',
    [`${d}/pids.max`]: 'max',
    [`${d}/io.weight`]: 'default 100',
    [`${d}/io.max`]: '',
    [`${d}/cpuset.cpus`]: '',
    [`${d}/memory.events`]: 'low 0\nhigh 0\nmax 4\noom 2\noom_kill 2\n',
  });
  const noBpf = () => {
    throw new Error('bpf not expected');
  };
  return { fs, cg: new V2CgroupManager(LEAF, root, fs, bpf ? () => bpf : noBpf) };
}

test('create enables only the missing controllers in each ancestor', () => {
  const { fs, cg } = setup();
  cg.create();
  assert.deepEqual(fs.written('/cg/cgroup.subtree_control'), ['+cpuset +io +hugetlb +pids +rdma +misc']);
  assert.deepEqual(fs.written('/cg/vessel/cgroup.subtree_control'), [`+${ALL.split(' ').join(' +')}`]);
  assert.ok(fs.dirs.has('/cg/vessel') && fs.dirs.has(`/cg${LEAF}`));
});

test('OCI resources are translated to v2 files', () => {
  const { fs, cg } = setup();
  cg.apply({
    cpu: { shares: 1024, quota: 20000, cpus: '0' },
    memory: { limit: 64 << 20, swap: 96 << 20, reservation: 32 << 20 },
    pids: { limit: 100 },
    blockIO: { weight: 1000, throttleReadBpsDevice: [{ major: 8, minor: 0, rate: 1000 }] },
  });
  assert.deepEqual(fs.written('cpu.weight'), ['39']);
  assert.deepEqual(fs.written('cpu.max'), ['20000 100000']);
  assert.deepEqual(fs.written('cpuset.cpus'), ['0']);
  assert.deepEqual(fs.written('memory.max'), [String(64 << 20)]);
  assert.deepEqual(fs.written('memory.swap.max'), [String(32 << 20)]);
  assert.deepEqual(fs.written('memory.low'), [String(32 << 20)]);
  assert.deepEqual(fs.written('pids.max'), ['100']);
  assert.deepEqual(fs.written('io.weight'), ['10000']);
  assert.deepEqual(fs.written('io.max'), ['8:0 rbps=1000']);
  assert.deepEqual(cg.notices(), []);
});

test('settings v2 cannot express become notices', () => {
  const { cg } = setup();
  cg.apply({
    memory: { swappiness: 10, disableOOMKiller: true, kernel: 1 << 20 },
    cpu: { realtimeRuntime: 1000 },
    network: { classID: 1 },
    hugepageLimits: [{ pageSize: '2MB', limit: 1 << 21 }],
  });
  const notices = cg.notices().join('\n');
  for (const what of [/swappiness/, /disableOOMKiller/, /memory.kernel/, /realtime/, /net_cls/, /hugetlb .*not available/]) assert.match(notices, what);
});

test('unified keys are written as is; paths and unknown files are refused', () => {
  const { fs, cg } = setup();
  cg.apply({ unified: { 'memory.high': '50000000' } });
  assert.deepEqual(fs.written('memory.high'), ['50000000']);
  assert.throws(() => cg.apply({ unified: { '../../etc/passwd': 'x' } }), (e: CgroupError) => e.code === 'CGROUP_INVALID');
  assert.throws(() => cg.apply({ unified: { 'memory.nope': '1' } }), (e: CgroupError) => e.code === 'CGROUP_UNSUPPORTED');
});

test('io.max merges the throttles of one device on one line', () => {
  assert.deepEqual(
    ioMaxLines({
      throttleReadBpsDevice: [{ major: 8, minor: 0, rate: 100 }],
      throttleWriteIOPSDevice: [{ major: 8, minor: 0, rate: 5 }, { major: 8, minor: 16, rate: 0 }],
    }),
    ['8:0 rbps=100 wiops=5', '8:16 wiops=max'],
  );
});

test('devices: the new program is attached before the old ones are detached', (t) => {
  const { dir, cleanup } = tempDir();
  t.after(cleanup);
  mkdirSync(join(dir, LEAF), { recursive: true });
  const calls: string[] = [];
  const names = new Map<number, string>();
  // real fds (of /dev/null) stand in for program fds, so closing them is harmless
  const fakeFd = (name: string) => {
    const fd = openSync('/dev/null', 'r');
    names.set(fd, name);
    return fd;
  };
  const bpf: BpfSys = {
    bpfProgLoad: (type, insns) => (calls.push(`load type=${type} insns=${insns.length / 8}`), fakeFd('new')),
    bpfProgAttach: (_t, prog, type, flags) => void calls.push(`attach ${names.get(prog)} type=${type} flags=${flags}`),
    bpfProgDetach: (_t, prog, type) => void calls.push(`detach ${names.get(prog)} type=${type}`),
    bpfProgQuery: () => [41],
    bpfProgGetFdById: (id) => (calls.push(`fd-of ${id}`), fakeFd(`prog${id}`)),
  };
  const { cg } = setup(dir, bpf);
  cg.apply({ devices: [{ allow: true, access: 'rwm' }] });
  assert.deepEqual(calls, ['load type=15 insns=8', 'attach new type=6 flags=2', 'fd-of 41', 'detach prog41 type=6']);
});
