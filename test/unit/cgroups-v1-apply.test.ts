// The v1 driver against an in-memory cgroup filesystem: which files get which values, in which order.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { CgroupError } from '../../src/cgroups/errors.js';
import { parseV1Hierarchies } from '../../src/cgroups/v1/hierarchies.js';
import type { Hierarchy } from '../../src/cgroups/v1/hierarchies.js';
import { V1CgroupManager } from '../../src/cgroups/v1/manager.js';
import { FakeCgroupFs } from './cgroups-fake-fs.js';

const HIERARCHIES: Hierarchy[] = [
  { mountpoint: '/cg/cpuset', subsystems: ['cpuset'] },
  { mountpoint: '/cg/memory', subsystems: ['memory'] },
  { mountpoint: '/cg/cpu', subsystems: ['cpu'] },
  { mountpoint: '/cg/devices', subsystems: ['devices'] },
  { mountpoint: '/cg/systemd', subsystems: ['name=systemd'] },
];
const LEAF = '/vessel/c1';

function setup(extra: Record<string, string> = {}) {
  const fs = new FakeCgroupFs({
    '/cg/cpuset/cpuset.cpus': '0-1',
    '/cg/cpuset/cpuset.mems': '0',
    '/cg/cpuset/vessel/cpuset.cpus': '',
    '/cg/cpuset/vessel/cpuset.mems': '',
    [`/cg/cpuset${LEAF}/cpuset.cpus`]: '',
    [`/cg/cpuset${LEAF}/cpuset.mems`]: '',
    [`/cg/memory${LEAF}/memory.limit_in_bytes`]: '9223372036854771712',
    [`/cg/memory${LEAF}/memory.memsw.limit_in_bytes`]: '9223372036854771712',
    [`/cg/memory${LEAF}/memory.soft_limit_in_bytes`]: '',
    [`/cg/memory${LEAF}/memory.swappiness`]: '60',
    [`/cg/memory${LEAF}/memory.oom_control`]: 'oom_kill_disable 0\nunder_oom 0\noom_kill 3\n',
    [`/cg/cpu${LEAF}/cpu.shares`]: '1024',
    [`/cg/cpu${LEAF}/cpu.cfs_period_us`]: '100000',
    [`/cg/cpu${LEAF}/cpu.cfs_quota_us`]: '-1',
    [`/cg/devices${LEAF}/devices.allow`]: '',
    [`/cg/devices${LEAF}/devices.deny`]: '',
    ...extra,
  });
  for (const h of HIERARCHIES) for (const cg of [h.mountpoint, `${h.mountpoint}/vessel`, `${h.mountpoint}${LEAF}`]) fs.dirs.add(cg);
  return { fs, cg: new V1CgroupManager(LEAF, HIERARCHIES, fs) };
}

test('hierarchies come from mountinfo, named ones included, cgroup2 left out', () => {
  const mountinfo = [
    '31 30 0:28 / /sys/fs/cgroup/cpu rw,relatime - cgroup cgroup rw,cpu',
    '32 30 0:29 / /sys/fs/cgroup/cpu,cpuacct rw,relatime - cgroup cgroup rw,cpu,cpuacct',
    '39 30 0:36 / /sys/fs/cgroup/systemd rw,relatime - cgroup cgroup rw,xattr,name=systemd',
    '40 30 0:37 / /sys/fs/cgroup/unified rw,relatime - cgroup2 cgroup2 rw',
    '41 30 0:28 / /mnt/again rw,relatime - cgroup cgroup rw,cpu',
  ].join('\n');
  assert.deepEqual(parseV1Hierarchies(mountinfo), [
    { mountpoint: '/sys/fs/cgroup/cpu', subsystems: ['cpu'] },
    { mountpoint: '/sys/fs/cgroup/cpu,cpuacct', subsystems: ['cpu', 'cpuacct'] },
    { mountpoint: '/sys/fs/cgroup/systemd', subsystems: ['name=systemd'] },
  ]);
});

test('create makes the directory in every hierarchy and copies cpuset from the parent', () => {
  const { fs, cg } = setup();
  for (const h of HIERARCHIES) fs.dirs.delete(`${h.mountpoint}${LEAF}`);
  cg.create();
  for (const h of HIERARCHIES) assert.ok(fs.dirs.has(`${h.mountpoint}${LEAF}`), h.mountpoint);
  assert.equal(fs.files.get(`/cg/cpuset${LEAF}/cpuset.cpus`), '0-1');
  assert.equal(fs.files.get(`/cg/cpuset${LEAF}/cpuset.mems`), '0');
  assert.equal(fs.files.get('/cg/cpuset/vessel/cpuset.cpus'), '0-1');
});

test('memory and memory+swap are written in the order the kernel accepts', () => {
  const { fs, cg } = setup();
  fs.files.set(`/cg/memory${LEAF}/memory.memsw.limit_in_bytes`, String(64 << 20));
  cg.apply({ memory: { limit: 128 << 20, swap: 256 << 20 } });
  assert.deepEqual(fs.writes.map(([p]) => p.split('/').pop()), ['memory.memsw.limit_in_bytes', 'memory.limit_in_bytes']);
  fs.writes.length = 0;
  cg.apply({ memory: { limit: 32 << 20, swap: 32 << 20 } });
  assert.deepEqual(fs.writes.map(([p]) => p.split('/').pop()), ['memory.limit_in_bytes', 'memory.memsw.limit_in_bytes']);
});

test('every resource goes to its v1 file; absent hierarchies and files become notices', () => {
  const { fs, cg } = setup();
  cg.apply({
    memory: { reservation: 1000, swappiness: 10, disableOOMKiller: true, kernel: 5000 },
    cpu: { shares: 512, quota: 50000, period: 200000, cpus: '1' },
    network: { classID: 0x100001 },
    hugepageLimits: [{ pageSize: '2MB', limit: 1 << 21 }],
  });
  assert.deepEqual(fs.written('memory.soft_limit_in_bytes'), ['1000']);
  assert.deepEqual(fs.written('memory.swappiness'), ['10']);
  assert.deepEqual(fs.written('memory.oom_control'), ['1']);
  assert.deepEqual(fs.written('cpu.shares'), ['512']);
  assert.deepEqual(fs.writes.filter(([p]) => p.includes('cfs')).map(([p, v]) => `${p.split('/').pop()}=${v}`), ['cpu.cfs_period_us=200000', 'cpu.cfs_quota_us=50000']);
  assert.deepEqual(fs.written('cpuset.cpus'), ['1']);
  const notices = cg.notices().join('\n');
  assert.match(notices, /net_cls .*not mounted/);
  assert.match(notices, /hugetlb .*not mounted/);
  assert.match(notices, /memory.kernel not applied: this kernel has no memory.kmem.limit_in_bytes/);
});

test('device rules start from deny-all and go to devices.allow / devices.deny in order', () => {
  const { fs, cg } = setup();
  cg.apply({ devices: [{ allow: false, access: 'rwm' }, { allow: true, type: 'c', major: 1, minor: 3, access: 'rwm' }, { allow: false, type: 'c', major: 1, minor: 3, access: 'w' }] });
  assert.deepEqual(fs.writes.map(([p, v]) => `${p.split('/').pop()} ${v}`), ['devices.deny a', 'devices.deny a', 'devices.allow c 1:3 rwm', 'devices.deny c 1:3 w']);
});

test('a refused write names the file and the value; unified is refused on v1', () => {
  const { fs, cg } = setup();
  fs.failWrites.set(`/cg/cpu${LEAF}/cpu.shares`, 'EINVAL');
  assert.throws(
    () => cg.apply({ cpu: { shares: 1 } }),
    (e: CgroupError) => e.code === 'CGROUP_WRITE' && e.path === `/cg/cpu${LEAF}/cpu.shares` && e.value === '1' && (e.cause as { code: string }).code === 'EINVAL',
  );
  assert.throws(() => cg.apply({ unified: { 'memory.high': '1G' } }), (e: CgroupError) => e.code === 'CGROUP_UNSUPPORTED');
});

test('oomKillCount reads memory.oom_control; destroy removes every hierarchy, nested cgroups first, and is idempotent', () => {
  const { fs, cg } = setup();
  assert.equal(cg.oomKillCount(), 3);
  fs.dirs.add(`/cg/memory${LEAF}/nested`);
  fs.dirs.add(`/cg/memory${LEAF}/nested/deeper`);
  cg.destroy();
  assert.ok(!fs.dirs.has(`/cg/memory${LEAF}/nested`), 'child cgroups made inside the container go too');
  for (const h of HIERARCHIES) assert.ok(!fs.dirs.has(`${h.mountpoint}${LEAF}`));
  assert.ok(fs.dirs.has('/cg/memory/vessel'), 'the parent stays');
  assert.equal(cg.exists(), false);
  cg.destroy();
});
