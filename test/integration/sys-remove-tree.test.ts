// removeTree: rm -rf for directories the engine made, without following symlinks or entering mounts.
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { sys } from '../../src/sys/native.js';

test('removes a tree, leaving what its symlinks point to', () => {
  const base = mkdtempSync(join(tmpdir(), 'vessel-rmtree-'));
  try {
    const outside = join(base, 'outside');
    mkdirSync(outside);
    writeFileSync(join(outside, 'keep'), 'k');
    const tree = join(base, 'tree');
    mkdirSync(join(tree, 'a', 'b'), { recursive: true });
    writeFileSync(join(tree, 'a', 'b', 'f'), 'x');
    symlinkSync(outside, join(tree, 'a', 'link'));
    sys().removeTree(tree);
    assert.equal(existsSync(tree), false);
    assert.equal(readFileSync(join(outside, 'keep'), 'utf8'), 'k');
    sys().removeTree(tree); // absent: not an error
  } finally {
    rmSync(base, { recursive: true, force: true });
  }
});

test('refuses to descend into a filesystem mounted inside the tree', () => {
  const base = mkdtempSync(join(tmpdir(), 'vessel-rmtree-'));
  const mnt = join(base, 'tree', 'rootfs');
  mkdirSync(mnt, { recursive: true });
  execFileSync('mount', ['-t', 'tmpfs', 'tmpfs', mnt]);
  try {
    writeFileSync(join(mnt, 'inside'), 'i');
    assert.throws(() => sys().removeTree(join(base, 'tree')), (e: NodeJS.ErrnoException) => ['EBUSY', 'ENOTEMPTY'].includes(e.code ?? ''));
    assert.equal(readFileSync(join(mnt, 'inside'), 'utf8'), 'i', 'nothing inside the mount was removed');
  } finally {
    execFileSync('umount', [mnt]);
    rmSync(base, { recursive: true, force: true });
  }
});
