// `-m` and `--memory-swap` as docker has them, checked in the container's v1 memory cgroup when the
// kernel accounts swap (memory.memsw.limit_in_bytes); without it the memory limit alone applies.
import assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import { after, before, test } from 'node:test';
import { engineRoot, type EngineRoot } from './engine-fixture.js';

const MEMORY_CGROUP = '/sys/fs/cgroup/memory';
const swapAccounted = existsSync(`${MEMORY_CGROUP}/memory.memsw.limit_in_bytes`);
const MiB = 1024 * 1024;
/** what the kernel reports for an unlimited v1 counter (LONG_MAX rounded down to a page) */
const UNLIMITED = '9223372036854771712';

let e: EngineRoot;
before(() => {
  e = engineRoot();
});
after(() => e.cleanup());

function limitsOf(...flags: string[]): { memory: string; memsw: string } {
  const id = e.ok('run', '-d', ...flags, '--network', 'none', 'busybox', 'sleep', '600').trim();
  try {
    const dir = `${MEMORY_CGROUP}/vessel/${id}`;
    const read = (f: string) => readFileSync(`${dir}/${f}`, 'utf8').trim();
    return { memory: read('memory.limit_in_bytes'), memsw: read('memory.memsw.limit_in_bytes') };
  } finally {
    e.vessel('rm', '-f', id);
  }
}

test('-m alone: memory+swap is twice the memory', { skip: !swapAccounted && 'no swap accounting on this kernel' }, () => {
  assert.deepEqual(limitsOf('-m', '64m'), { memory: String(64 * MiB), memsw: String(128 * MiB) });
});

test('--memory-swap -1: unlimited swap', { skip: !swapAccounted && 'no swap accounting on this kernel' }, () => {
  assert.deepEqual(limitsOf('-m', '64m', '--memory-swap', '-1'), { memory: String(64 * MiB), memsw: UNLIMITED });
});

test('--memory-swap equal to the memory: no swap', { skip: !swapAccounted && 'no swap accounting on this kernel' }, () => {
  assert.deepEqual(limitsOf('--memory', '64m', '--memory-swap', '64m'), { memory: String(64 * MiB), memsw: String(64 * MiB) });
});
