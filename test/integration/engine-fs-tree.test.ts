// The copy machinery against the real file system as root: writeTree keeps hostile entries
// inside its root, readTree never walks through symlinks, and upperDirChanges reads overlay's
// whiteouts and opaque directories.
import assert from 'node:assert/strict';
import { existsSync, lstatSync, mkdirSync, mkdtempSync, readFileSync, readlinkSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, test } from 'node:test';
import { upperDirChanges } from '../../src/engine/fs/diff.js';
import { closeQuietly, openRoot } from '../../src/engine/fs/in-root.js';
import { readTree } from '../../src/engine/fs/tree-read.js';
import { writeTree, type WritableEntry } from '../../src/engine/fs/tree-write.js';
import type { TarEntry } from '../../src/image/layer/index.js';
import { sys } from '../../src/sys/native.js';

const base = mkdtempSync(join(tmpdir(), 'vessel-fs-tree-'));
after(() => rmSync(base, { recursive: true, force: true }));

async function* entries(list: WritableEntry[]): AsyncGenerator<WritableEntry> {
  yield* list;
}

async function write(root: string, list: WritableEntry[]): Promise<void> {
  const fd = openRoot(root);
  try {
    await writeTree(fd, '/', entries(list));
  } finally {
    closeQuietly(fd);
  }
}

test('writeTree keeps entries that go through their own symlinks inside the root', async () => {
  const root = join(base, 'root1');
  mkdirSync(root);
  const marker = `vessel-tree-${process.pid}`;
  await write(root, [
    { header: { name: 'up', type: 'symlink', linkname: '../../../../..' } },
    { header: { name: `up/etc/${marker}`, type: 'file', size: 3, mode: 0o644 }, body: Buffer.from('one') },
    { header: { name: 'abs', type: 'symlink', linkname: '/' } },
    { header: { name: `abs/tmp/${marker}`, type: 'file', size: 3, mode: 0o644 }, body: Buffer.from('two') },
    { header: { name: `/rooted/${marker}`, type: 'file', size: 5, mode: 0o600 }, body: Buffer.from('three') },
  ]);
  assert.ok(!existsSync(`/etc/${marker}`) && !existsSync(`/tmp/${marker}`), 'nothing outside the root');
  assert.equal(readFileSync(join(root, 'etc', marker), 'utf8'), 'one');
  assert.equal(readFileSync(join(root, 'tmp', marker), 'utf8'), 'two');
  assert.equal(readFileSync(join(root, 'rooted', marker), 'utf8'), 'three');
  assert.equal(lstatSync(join(root, 'rooted', marker)).mode & 0o777, 0o600);
  await assert.rejects(write(root, [{ header: { name: '../escape', type: 'file', size: 0 } }]), { code: 'COPY_UNSAFE_PATH' });
  assert.ok(!existsSync(join(base, 'escape')));
});

test('writeTree replaces a planted symlink instead of writing through it, and makes devices and fifos', async () => {
  const root = join(base, 'root2');
  mkdirSync(root);
  const outside = join(base, 'outside.txt');
  writeFileSync(outside, 'keep');
  symlinkSync(outside, join(root, 'target'));
  await write(root, [
    { header: { name: 'target', type: 'file', size: 3, mode: 0o644 }, body: Buffer.from('new') },
    { header: { name: 'null', type: 'char', mode: 0o666, devMajor: 1, devMinor: 3 } },
    { header: { name: 'pipe', type: 'fifo', mode: 0o640 } },
    { header: { name: 'hard', type: 'hardlink', linkname: 'target' } },
  ]);
  assert.equal(readFileSync(outside, 'utf8'), 'keep');
  assert.equal(readFileSync(join(root, 'target'), 'utf8'), 'new');
  assert.ok(lstatSync(join(root, 'null')).isCharacterDevice());
  assert.equal(lstatSync(join(root, 'null')).mode & 0o777, 0o666);
  assert.ok(lstatSync(join(root, 'pipe')).isFIFO());
  assert.equal(lstatSync(join(root, 'hard')).ino, lstatSync(join(root, 'target')).ino);
});

test('readTree lists symlinks as symlinks and never walks through them', async () => {
  const dir = join(base, 'read');
  mkdirSync(join(dir, 'tree', 'sub'), { recursive: true });
  writeFileSync(join(dir, 'tree', 'sub', 'f'), 'data');
  symlinkSync('/etc', join(dir, 'tree', 'etc-link'));
  const fd = openRoot(dir);
  const seen: TarEntry[] = [];
  try {
    for await (const entry of readTree(fd, 'tree', 'copy')) seen.push(entry);
  } finally {
    closeQuietly(fd);
  }
  assert.deepEqual(seen.map((e) => `${e.header.type} ${e.header.name}`), ['directory copy/', 'symlink copy/etc-link', 'directory copy/sub/', 'file copy/sub/f']);
  assert.equal(seen[1]!.header.linkname, readlinkSync(join(dir, 'tree', 'etc-link')));
  assert.equal(seen[3]!.header.size, 4);
  for (const e of seen) if (e.body && !Buffer.isBuffer(e.body)) for await (const _ of e.body); // let the read streams close their fds
});

test('upperDirChanges reads whiteouts as deletions and opaque directories as replacing the image, not the engine stand-ins', () => {
  const lower = join(base, 'lower');
  const upper = join(base, 'upper');
  mkdirSync(join(lower, 'etc'), { recursive: true });
  mkdirSync(join(lower, 'opaque'), { recursive: true });
  mkdirSync(join(lower, 'sbin'), { recursive: true });
  for (const f of ['etc/passwd', 'etc/gone', 'opaque/old', 'opaque/kept']) writeFileSync(join(lower, f), 'x');
  mkdirSync(join(upper, 'etc'), { recursive: true });
  mkdirSync(join(upper, 'opaque'));
  writeFileSync(join(upper, 'etc', 'passwd'), 'changed');
  writeFileSync(join(upper, 'etc', 'hosts'), '');
  mkdirSync(join(upper, 'sbin'));
  writeFileSync(join(upper, 'sbin', 'docker-init'), '');
  sys().mknod(join(upper, 'etc', 'gone'), 0o20000 | 0o600, 0, 0);
  sys().lsetxattr(join(upper, 'opaque'), 'trusted.overlay.opaque', Buffer.from('y'));
  writeFileSync(join(upper, 'opaque', 'kept'), 'again');
  writeFileSync(join(upper, 'new'), 'n');
  assert.deepEqual(
    upperDirChanges(upper, [lower]).map((c) => `${c.kind} ${c.path}`),
    ['C /etc', 'D /etc/gone', 'C /etc/passwd', 'A /new', 'C /opaque', 'C /opaque/kept', 'D /opaque/old'],
  );
});
