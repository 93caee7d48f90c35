// cgroup v2 enforcement, run inside the VM by test/vm/run-cgroup2-tests.sh (never on the v1 host).
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { test } from 'node:test';
import { attachedDevicePrograms } from '../../src/cgroups/v2/devices.js';
import { bpfSys } from '../../src/sys/bpf.js';
import { cgroupEnforcementSuite } from './cgroup-enforcement.js';
import { scratchCgroups } from './cgroup-workload.js';

// TCG emulation makes CPU time accounting coarser than on the host
cgroupEnforcementSuite('v2', { cpuShareRange: [0.12, 0.3] });

const extra = scratchCgroups();
test.after(() => extra.cleanup());

test('v2: controllers are enabled down to the container, and the device program is replaced on update', () => {
  const cg = extra.make('bpf');
  const available = readFileSync(`/sys/fs/cgroup${cg.path}/cgroup.controllers`, 'utf8').split(/\s+/);
  for (const c of ['cpuset', 'cpu', 'io', 'memory', 'pids', 'hugetlb']) assert.ok(available.includes(c), `${c} in ${available.join(' ')}`);
  cg.apply({ devices: [{ allow: true, type: 'c', major: 1, minor: 3, access: 'rwm' }] });
  const first = attachedDevicePrograms(bpfSys(), `/sys/fs/cgroup${cg.path}`);
  assert.equal(first.length, 1);
  cg.apply({ devices: [{ allow: true, type: 'c', major: 1, minor: 5, access: 'rwm' }] });
  const second = attachedDevicePrograms(bpfSys(), `/sys/fs/cgroup${cg.path}`);
  assert.equal(second.length, 1);
  assert.notEqual(second[0], first[0]);
});
