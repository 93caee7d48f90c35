import assert from 'node:assert/strict';
import { test } from 'node:test';
import { blkioWeightToIoWeight, cpuMax, pidsMax, sharesToWeight, swapMax } from '../../src/cgroups/convert.js';
import { CgroupError } from '../../src/cgroups/errors.js';
import { resolveCgroupPath } from '../../src/cgroups/path.js';

test('cpu.shares map linearly onto cpu.weight (runc/crun)', () => {
  assert.equal(sharesToWeight(2), 1);
  assert.equal(sharesToWeight(1024), 39);
  assert.equal(sharesToWeight(262144), 10000);
  assert.equal(sharesToWeight(1), 1, 'clamped to the v1 minimum');
});

test('blkio weight maps onto io.weight', () => {
  assert.equal(blkioWeightToIoWeight(10), 1);
  assert.equal(blkioWeightToIoWeight(1000), 10000);
  assert.equal(blkioWeightToIoWeight(500), 4950);
});

test('cpu.max keeps the side that is not being changed', () => {
  assert.equal(cpuMax(20000, 100000, 'max 100000'), '20000 100000');
  assert.equal(cpuMax(undefined, 50000, '20000 100000'), '20000 50000');
  assert.equal(cpuMax(-1, undefined, '20000 100000'), 'max 100000');
  assert.equal(cpuMax(30000, undefined, 'max 250000'), '30000 250000');
});

test('OCI memory+swap becomes v2 swap alone', () => {
  assert.equal(swapMax(64, 96), '32');
  assert.equal(swapMax(64, 64), '0');
  assert.equal(swapMax(64, -1), 'max');
  assert.throws(() => swapMax(-1, 96), CgroupError);
  assert.throws(() => swapMax(64, 32), /below the memory limit/);
});

test('pids.max: 0 is unset, negative is max', () => {
  assert.equal(pidsMax(0), undefined);
  assert.equal(pidsMax(-1), 'max');
  assert.equal(pidsMax(10), '10');
});

test('cgroupsPath resolves under /vessel unless absolute', () => {
  assert.equal(resolveCgroupPath(undefined, 'abc'), '/vessel/abc');
  assert.equal(resolveCgroupPath('group/abc', 'abc'), '/vessel/group/abc');
  assert.equal(resolveCgroupPath('/machine/abc/', 'abc'), '/machine/abc');
  assert.throws(() => resolveCgroupPath('../etc', 'abc'), (e: CgroupError) => e.code === 'CGROUP_INVALID');
  assert.throws(() => resolveCgroupPath('/', 'abc'), CgroupError);
});
