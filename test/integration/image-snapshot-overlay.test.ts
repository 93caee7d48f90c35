// Snapshots as root: the busybox fixture's layers stacked in a real overlay, a container's changes
// turned back into a layer, a 130-layer image, read-only views, and clean unmounts.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import {
  appendFileSync,
  createReadStream,
  createWriteStream,
  existsSync,
  lstatSync,
  mkdirSync,
  readFileSync,
  readdirSync,
  rmSync,
  unlinkSync,
  writeFileSync,
} from 'node:fs';
import { extractLayer, diffToLayer, readTar, type TarHeader } from '../../src/image/layer/index.js';
import { mountReadOnlyImage, mountSnapshot, unmountSnapshot, overlayOptions } from '../../src/image/snapshot/index.js';
import { OPTIONS_LIMIT } from '../../src/image/snapshot/overlay-options.js';
import { tempDir } from '../fixtures/busybox.js';
import { BUSYBOX_FIXTURE, buildBusyboxLayers } from '../fixtures/layers.js';

function mountedAt(target: string): boolean {
  return readFileSync('/proc/self/mountinfo', 'utf8')
    .split('\n')
    .some((line) => line.split(' ')[4] === target);
}

/** A temp dir whose mounts are always undone, even when the test fails. */
function scratch(t: { after: (fn: () => void) => void }): { dir: string; targets: string[] } {
  const { dir, cleanup } = tempDir('vessel-snap-');
  const targets: string[] = [];
  t.after(() => {
    for (const target of targets.reverse()) unmountSnapshot(target);
    cleanup();
  });
  return { dir, targets };
}

async function unpackFixture(dir: string): Promise<string[]> {
  const { layers } = await buildBusyboxLayers(`${dir}/blobs`);
  const dirs: string[] = [];
  for (const [i, layer] of layers.entries()) {
    const r = await extractLayer(createReadStream(layer.path), `${dir}/layers/${i + 1}`);
    assert.equal(r.diffId, layer.diffId);
    dirs.push(`${dir}/layers/${i + 1}`);
  }
  return dirs.reverse();
}

test('busybox fixture layers stack in an overlay: whiteouts hide, opaque dirs reset, hard links hold', async (t) => {
  const { dir, targets } = scratch(t);
  const lowerDirs = await unpackFixture(dir);
  const target = `${dir}/rootfs`;
  targets.push(target);
  mountSnapshot({ lowerDirs, upperDir: `${dir}/upper`, workDir: `${dir}/work`, target });
  assert.ok(mountedAt(target));
  assert.ok(!existsSync(`${target}/${BUSYBOX_FIXTURE.removedFile}`), 'whited-out file is hidden');
  assert.ok(existsSync(`${dir}/layers/1/${BUSYBOX_FIXTURE.removedFile}`), 'but still in its own layer');
  assert.deepEqual(readdirSync(`${target}/${BUSYBOX_FIXTURE.opaqueDir}`), [BUSYBOX_FIXTURE.opaqueNewFile]);
  assert.ok(!existsSync(`${target}/${BUSYBOX_FIXTURE.removedDir}`));
  assert.ok(existsSync(`${target}/home`));
  for (const layerFiles of BUSYBOX_FIXTURE.addedByLayer) for (const f of layerFiles) assert.ok(existsSync(`${target}/${f}`), f);
  for (const [a, b] of BUSYBOX_FIXTURE.hardLinks) assert.equal(lstatSync(`${target}/${a}`).ino, lstatSync(`${target}/${b}`).ino, `${a} = ${b}`);
  assert.equal(lstatSync(`${target}/tmp`).mode & 0o7777, 0o1777);
  assert.equal(execFileSync(`${target}/bin/busybox`, ['echo', 'from the snapshot'], { encoding: 'utf8' }), 'from the snapshot\n');

  unmountSnapshot(target);
  assert.ok(!mountedAt(target), 'nothing left in mountinfo');
  unmountSnapshot(target);
});

test('diffToLayer turns a container’s changes into whiteouts, an opaque dir and new content', async (t) => {
  const { dir, targets } = scratch(t);
  const lowerDirs = await unpackFixture(dir);
  const target = `${dir}/rootfs`;
  targets.push(target);
  mountSnapshot({ lowerDirs, upperDir: `${dir}/upper`, workDir: `${dir}/work`, target });
  unlinkSync(`${target}/etc/passwd`);
  rmSync(`${target}/var/cache/app`, { recursive: true });
  mkdirSync(`${target}/var/cache/app`);
  writeFileSync(`${target}/var/cache/app/rebuilt`, 'r');
  appendFileSync(`${target}/etc/group`, 'added:x:3000:\n');
  writeFileSync(`${target}/new-file`, 'new');
  unmountSnapshot(target);

  const diff = await diffToLayer(`${dir}/upper`, createWriteStream(`${dir}/diff.tar.gz`));
  const headers: TarHeader[] = [];
  for await (const { header } of readTar(createReadStream(`${dir}/diff.tar.gz`).pipe((await import('node:zlib')).createGunzip()))) headers.push(header);
  const names = headers.map((h) => h.name);
  assert.ok(names.includes('etc/.wh.passwd'), names.join(' '));
  assert.ok(names.includes('var/cache/app/.wh..wh..opq'), names.join(' '));
  assert.ok(names.includes('var/cache/app/rebuilt'));
  assert.ok(names.includes('etc/group'));
  assert.ok(names.includes('new-file'));
  assert.ok(!names.some((n) => n.includes('old1') || n === 'bin/busybox'), 'unchanged lower content is not in the diff');
  assert.ok(!headers.some((h) => [...h.xattrs.keys()].some((k) => k.startsWith('trusted.overlay.'))), 'overlay xattrs are left out');
  assert.equal(headers.find((h) => h.name === 'etc/.wh.passwd')!.type, 'file');

  // the diff applied as a fourth layer gives the same view the container had
  const r = await extractLayer(createReadStream(`${dir}/diff.tar.gz`), `${dir}/layers/4`);
  assert.equal(r.diffId, diff.diffId);
  const view = `${dir}/view`;
  targets.push(view);
  mountReadOnlyImage([`${dir}/layers/4`, ...lowerDirs], view);
  assert.ok(!existsSync(`${view}/etc/passwd`));
  assert.deepEqual(readdirSync(`${view}/var/cache/app`), ['rebuilt']);
  assert.match(readFileSync(`${view}/etc/group`, 'utf8'), /added:x:3000/);
  assert.equal(readFileSync(`${view}/new-file`, 'utf8'), 'new');
  assert.throws(() => writeFileSync(`${view}/x`, 'x'), { code: 'EROFS' });
});

test('a 130-layer image mounts although its option string exceeds a page', (t) => {
  const { dir, targets } = scratch(t);
  const deep = `${dir}/${'store-path-that-is-long/'.repeat(3)}layers`;
  const layers: string[] = [];
  for (let i = 0; i < 130; i++) {
    const layer = `${deep}/${'0123456789abcdef'.repeat(2)}-${i}`;
    mkdirSync(layer, { recursive: true });
    writeFileSync(`${layer}/only-${i}`, String(i));
    writeFileSync(`${layer}/shared`, String(i));
    layers.push(layer);
  }
  const lowerDirs = layers.reverse();
  assert.ok(overlayOptions({ lowerDirs }).length > 4096 && OPTIONS_LIMIT < 4096);
  const target = `${dir}/rootfs`;
  targets.push(target);
  mountSnapshot({ lowerDirs, upperDir: `${dir}/upper`, workDir: `${dir}/work`, target });
  assert.equal(readdirSync(target).length, 131);
  assert.equal(readFileSync(`${target}/shared`, 'utf8'), '129', 'top-most layer wins');
  assert.equal(readFileSync(`${target}/only-0`, 'utf8'), '0', 'bottom layer visible');
  writeFileSync(`${target}/written`, 'w');
  assert.equal(readFileSync(`${dir}/upper/written`, 'utf8'), 'w');
  assert.ok(!readdirSync('/run').some((n) => /^v[A-Za-z0-9]{6}$/.test(n) && lstatSync(`/run/${n}`).isDirectory() && readdirSync(`/run/${n}`).includes('U')), 'short links were removed');
  unmountSnapshot(target);
  assert.ok(!mountedAt(target));

  const view = `${dir}/view`;
  targets.push(view);
  mountReadOnlyImage(lowerDirs, view);
  assert.equal(readFileSync(`${view}/shared`, 'utf8'), '129');
});

test('a one-layer read-only image is a read-only bind; unmount is idempotent and peels stacked mounts', (t) => {
  const { dir, targets } = scratch(t);
  mkdirSync(`${dir}/layer`);
  writeFileSync(`${dir}/layer/f`, 'f');
  const view = `${dir}/view`;
  targets.push(view);
  mountReadOnlyImage([`${dir}/layer`], view);
  mountReadOnlyImage([`${dir}/layer`], view);
  assert.equal(readFileSync(`${view}/f`, 'utf8'), 'f');
  assert.throws(() => writeFileSync(`${view}/g`, 'g'), { code: 'EROFS' });
  unmountSnapshot(view);
  assert.ok(!mountedAt(view));
  unmountSnapshot(view);
  unmountSnapshot(`${dir}/does-not-exist`);
});
