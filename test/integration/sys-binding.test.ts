// One suite, run against the real native binding and against the fake the unit tests use
// (serialport's pattern): what the fake does, it does as the binding does.
import assert from 'node:assert/strict';
import { mkdirSync, symlinkSync, writeFileSync, existsSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { sys, type NativeSys } from '../../src/sys/native.js';
import { tempDir } from '../fixtures/busybox.js';
import { FakeSys } from '../fixtures/fake-sys.js';

const bindings: [string, () => NativeSys][] = [
  ['the real binding', () => sys()],
  ['the fake', () => new FakeSys()],
];

for (const [label, make] of bindings) {
  describe(`native binding contract: ${label}`, () => {
    it('sets, reads and lists extended attributes; a missing one is null, a missing file ENOENT', () => {
      const tmp = tempDir('vessel-binding-');
      try {
        const s = make();
        const file = join(tmp.dir, 'f');
        writeFileSync(file, 'x');
        assert.equal(s.lgetxattr(file, 'user.vessel.none'), null);
        s.lsetxattr(file, 'user.vessel.a', Buffer.from('value'));
        assert.equal(s.lgetxattr(file, 'user.vessel.a')?.toString(), 'value');
        assert.ok(s.llistxattr(file).includes('user.vessel.a'));
        const missing = join(tmp.dir, 'missing');
        for (const call of [() => s.lgetxattr(missing, 'user.a'), () => s.llistxattr(missing), () => s.lsetxattr(missing, 'user.a', Buffer.from('v'))]) {
          assert.throws(call, (e: NodeJS.ErrnoException) => e.code === 'ENOENT' && e.errno === 2 && e.message.endsWith(`${missing}: No such file or directory`));
        }
      } finally {
        tmp.cleanup();
      }
    });

    it('removes a tree without following a symlink out of it; an absent path is no error', () => {
      const tmp = tempDir('vessel-binding-');
      try {
        const s = make();
        const outside = join(tmp.dir, 'outside');
        mkdirSync(outside);
        writeFileSync(join(outside, 'keep'), 'k');
        const tree = join(tmp.dir, 'tree');
        mkdirSync(join(tree, 'a', 'b'), { recursive: true });
        writeFileSync(join(tree, 'a', 'b', 'f'), 'f');
        symlinkSync(outside, join(tree, 'a', 'link'));
        s.removeTree(tree);
        assert.ok(!existsSync(tree));
        assert.ok(existsSync(join(outside, 'keep')), 'the symlink target is untouched');
        s.removeTree(join(tmp.dir, 'never-existed'));
      } finally {
        tmp.cleanup();
      }
    });

    it('describes an errno as the C library does', () => {
      assert.equal(make().strerror(2), 'No such file or directory (ENOENT)');
      assert.equal(make().strerror(13), 'Permission denied (EACCES)');
    });
  });
}
