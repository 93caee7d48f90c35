// docker's memory and swap flags turned into the OCI spec's memory limits (swap is memory+swap).
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { memoryLimits } from '../../src/engine/bundle/spec.js';
import { parseBytes } from '../../src/engine/config/parse.js';

const MiB = 1024 * 1024;
const limits = (memory: string | undefined, swap: string | undefined) =>
  memoryLimits({ Memory: memory ? parseBytes('--memory', memory) : 0, MemorySwap: swap ? parseBytes('--memory-swap', swap) : 0 });

test('-m alone: memory+swap is twice the memory, as docker does', () => {
  assert.deepEqual(limits('64m', undefined), { limit: 64 * MiB, swap: 128 * MiB });
});

test('--memory-swap -1: unlimited swap', () => {
  assert.deepEqual(limits('64m', '-1'), { limit: 64 * MiB, swap: -1 });
});

test('--memory-swap equal to the memory: no swap at all', () => {
  assert.deepEqual(limits('64m', '64m'), { limit: 64 * MiB, swap: 64 * MiB });
});

test('--memory-swap larger than the memory is taken as given', () => {
  assert.deepEqual(limits('64m', '1g'), { limit: 64 * MiB, swap: 1024 * MiB });
});

test('no -m: no memory limits, whatever --memory-swap says', () => {
  assert.equal(limits(undefined, undefined), undefined);
  assert.equal(limits(undefined, '-1'), undefined);
});

test('create stores the swap limit docker stores, and refuses what docker refuses', async () => {
  const { buildConfigs, emptyRequest } = await import('../../src/engine/config/request.js');
  const host = (memory?: string, memorySwap?: string) => buildConfigs({ ...emptyRequest('busybox'), cmd: ['true'], memory, memorySwap }, {}).hostConfig;
  assert.deepEqual([host('64m').Memory, host('64m').MemorySwap], [64 * MiB, 128 * MiB], 'inspect shows twice the memory');
  assert.equal(host('64m', '-1').MemorySwap, -1);
  assert.equal(host().MemorySwap, 0);
  assert.throws(() => host(undefined, '1g'), /always set the Memory limit when using Memoryswap/);
  assert.throws(() => host('64m', '32m'), /Minimum memoryswap limit should be larger than memory limit/);
});
