// `vessel diff`'s logic over an overlay upper dir and its image layers, with the native binding
// faked: the opaque mark of a directory is a trusted.* xattr, which a unit test could not set.
import assert from 'node:assert/strict';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { it } from 'node:test';
import { upperDirChanges } from '../../src/engine/fs/diff.js';
import { tempDir } from '../fixtures/busybox.js';
import { FakeSys } from '../fixtures/fake-sys.js';

function tree(root: string, files: Record<string, string>): void {
  for (const [path, content] of Object.entries(files)) {
    mkdirSync(join(root, path, '..'), { recursive: true });
    if (path.endsWith('/')) mkdirSync(join(root, path), { recursive: true });
    else writeFileSync(join(root, path), content);
  }
}

it('reports additions, changes, and the deletions an opaque directory implies', () => {
  const tmp = tempDir('vessel-diff-unit-');
  try {
    const lower = join(tmp.dir, 'lower');
    const upper = join(tmp.dir, 'upper');
    tree(lower, { 'etc/passwd': 'root', 'opt/app/old.conf': 'x', 'opt/app/kept.conf': 'y', 'srv/': '' });
    tree(upper, { 'etc/passwd': 'root\nnew', 'opt/app/kept.conf': 'again', 'new.txt': 'n', 'srv/data/': '' });
    const fake = new FakeSys();
    // the container replaced /opt/app as a whole (rm -rf then mkdir): overlay marks it opaque
    fake.lsetxattr(join(upper, 'opt', 'app'), 'trusted.overlay.opaque', Buffer.from('y'));
    mkdirSync(join(upper, 'opt', 'app'), { recursive: true });
    assert.deepEqual(upperDirChanges(upper, [lower], fake), [
      { kind: 'C', path: '/etc' },
      { kind: 'C', path: '/etc/passwd' },
      { kind: 'A', path: '/new.txt' },
      { kind: 'C', path: '/opt' },
      { kind: 'C', path: '/opt/app' },
      { kind: 'C', path: '/opt/app/kept.conf' },
      { kind: 'D', path: '/opt/app/old.conf' },
      { kind: 'C', path: '/srv' },
      { kind: 'A', path: '/srv/data' },
    ]);
    assert.ok(fake.calls.includes(`lgetxattr(${join(upper, 'opt', 'app')})`), 'the opaque mark was read through the binding');

    // without the mark, the image's old.conf shows through: no deletion
    const plain = new FakeSys();
    assert.ok(!upperDirChanges(upper, [lower], plain).some((c) => c.kind === 'D'));
  } finally {
    tmp.cleanup();
  }
});
