// Unpacking layers as root: metadata round trips, whiteout conversion, and hand-made malicious
// tars that must be refused without anything written outside the destination.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import {
  chmodSync,
  chownSync,
  createReadStream,
  createWriteStream,
  existsSync,
  linkSync,
  lstatSync,
  mkdirSync,
  readFileSync,
  readdirSync,
  readlinkSync,
  lchownSync,
  lutimesSync,
  symlinkSync,
  utimesSync,
  writeFileSync,
} from 'node:fs';
import { Readable } from 'node:stream';
import { gzipSync } from 'node:zlib';
import { extractLayer, tarDirectory, LayerError, type Compression } from '../../src/image/layer/index.js';
import { sys } from '../../src/sys/native.js';
import { tempDir } from '../fixtures/busybox.js';
import { dir, file, gzipTarBuffer, hardlink, maliciousTars, opaque, symlink, tarBuffer, whiteout } from '../fixtures/layers.js';

function listTree(root: string, prefix = ''): string[] {
  return readdirSync(root)
    .sort()
    .flatMap((name) => {
      const st = lstatSync(`${root}/${name}`);
      return st.isDirectory() ? [`${prefix}${name}/`, ...listTree(`${root}/${name}`, `${prefix}${name}/`)] : [`${prefix}${name}`];
    });
}

/** A tree with every kind of object and unusual metadata. */
function makeRichTree(root: string): void {
  mkdirSync(`${root}/etc/deep/er`, { recursive: true });
  mkdirSync(`${root}/tmp`);
  chmodSync(`${root}/tmp`, 0o1777);
  writeFileSync(`${root}/etc/passwd`, 'root:x:0:0::/root:/bin/sh\n');
  writeFileSync(`${root}/etc/deep/er/big`, Buffer.alloc(3 * 1024 * 1024 + 17, 'q'));
  writeFileSync(`${root}/suid`, '#!/bin/sh\n');
  chownSync(`${root}/suid`, 1234, 5678);
  chmodSync(`${root}/suid`, 0o4755);
  mkdirSync(`${root}/sgid-dir`);
  chownSync(`${root}/sgid-dir`, 0, 42);
  chmodSync(`${root}/sgid-dir`, 0o2750);
  linkSync(`${root}/etc/passwd`, `${root}/etc/passwd-hardlink`);
  symlinkSync('../etc/passwd', `${root}/tmp/rel-link`);
  symlinkSync('/nonexistent/abs', `${root}/abs-link`);
  lchownSync(`${root}/abs-link`, 7, 8);
  sys().mknod(`${root}/null`, 0o020666, 1, 3);
  sys().mknod(`${root}/blk`, 0o060640, 7, 200);
  sys().mkfifo(`${root}/fifo`, 0o600);
  sys().lsetxattr(`${root}/etc/passwd`, 'user.vessel', Buffer.from('round trip'));
  sys().lsetxattr(`${root}/etc/passwd`, 'trusted.vessel', Buffer.from([0, 1, 2, 255]));
  sys().lsetxattr(`${root}/abs-link`, 'trusted.linkattr', Buffer.from('on the link'));
  utimesSync(`${root}/etc/passwd`, 1_500_000_000, 1_500_000_001);
  lutimesSync(`${root}/abs-link`, 1_400_000_000, 1_400_000_002);
  for (const d of ['etc/deep/er', 'etc/deep', 'etc', 'sgid-dir']) utimesSync(`${root}/${d}`, 1_300_000_000, 1_300_000_003);
}

function describe(root: string, rel: string): Record<string, unknown> {
  const abs = `${root}/${rel}`;
  const st = lstatSync(abs);
  const xattrs = Object.fromEntries(
    sys()
      .llistxattr(abs)
      .sort()
      .map((n) => [n, sys().lgetxattr(abs, n)?.toString('hex')]),
  );
  return {
    rel,
    mode: st.mode,
    uid: st.uid,
    gid: st.gid,
    size: st.isFile() ? st.size : 0,
    mtime: Math.floor(st.mtimeMs / 1000),
    rdev: st.rdev,
    nlink: st.isDirectory() ? 0 : st.nlink,
    link: st.isSymbolicLink() ? readlinkSync(abs) : undefined,
    xattrs,
  };
}

for (const compression of ['gzip', 'zstd', 'none'] as Compression[]) {
  test(`tarDirectory -> extractLayer round trip (${compression}) keeps owners, modes, times, xattrs, links, nodes`, async () => {
    const { dir: tmp, cleanup } = tempDir();
    try {
      makeRichTree(`${tmp}/src`);
      const packed = await tarDirectory(`${tmp}/src`, createWriteStream(`${tmp}/layer`), { compression });
      const result = await extractLayer(createReadStream(`${tmp}/layer`), `${tmp}/out`);
      assert.equal(result.diffId, packed.diffId);
      assert.equal(readFileSync(`${tmp}/layer`).length, packed.size);
      if (compression === 'none') assert.equal(packed.digest, packed.diffId);
      assert.ok(result.size >= 3 * 1024 * 1024, `content bytes counted: ${result.size}`);
      const names = listTree(`${tmp}/src`);
      assert.deepEqual(listTree(`${tmp}/out`), names);
      for (const rel of names.map((n) => n.replace(/\/$/, ''))) assert.deepEqual(describe(`${tmp}/out`, rel), describe(`${tmp}/src`, rel));
      assert.equal(lstatSync(`${tmp}/out/etc/passwd`).ino, lstatSync(`${tmp}/out/etc/passwd-hardlink`).ino, 'hard link shares the inode');
      assert.equal(lstatSync(`${tmp}/out/suid`).mode & 0o7777, 0o4755, 'setuid survives chown');
    } finally {
      cleanup();
    }
  });
}

test('whiteouts become 0/0 character devices and opaque markers the overlay xattr', async () => {
  const { dir: tmp, cleanup } = tempDir();
  try {
    const layer = await gzipTarBuffer([dir('etc'), whiteout('etc/motd'), dir('var/cache'), opaque('var/cache'), file('var/cache/new', 'n'), file('.wh..wh.plnk', '')]);
    await extractLayer(Readable.from([layer]), `${tmp}/out`);
    const st = lstatSync(`${tmp}/out/etc/motd`);
    assert.ok(st.isCharacterDevice());
    assert.equal(st.rdev, 0);
    assert.equal(sys().lgetxattr(`${tmp}/out/var/cache`, 'trusted.overlay.opaque')?.toString(), 'y');
    assert.deepEqual(listTree(`${tmp}/out`), ['etc/', 'etc/motd', 'var/', 'var/cache/', 'var/cache/new']);
  } finally {
    cleanup();
  }
});

test('absolute entry names are unpacked below the destination (leading slash stripped)', async () => {
  const { dir: tmp, cleanup } = tempDir();
  try {
    await extractLayer(Readable.from([await tarBuffer([file(`${tmp}/abs-victim`, 'x'), file('/etc/vessel-abs-test', 'y')])]), `${tmp}/out`);
    assert.equal(readFileSync(`${tmp}/out/etc/vessel-abs-test`, 'utf8'), 'y');
    assert.equal(readFileSync(`${tmp}/out${tmp}/abs-victim`, 'utf8'), 'x');
    assert.ok(!existsSync(`${tmp}/abs-victim`));
    assert.ok(!existsSync('/etc/vessel-abs-test'));
  } finally {
    cleanup();
  }
});

for (const [name, attack] of Object.entries(maliciousTars('/VICTIM/secret'))) {
  test(`malicious tar refused: ${name}`, async () => {
    const { dir: tmp, cleanup } = tempDir();
    try {
      // the victim lives next to the destination; the tar names it through the destination's depth
      const victimDir = `${tmp}/victim`;
      mkdirSync(victimDir);
      writeFileSync(`${victimDir}/secret`, 'original');
      const entries = maliciousTars(`${victimDir}/secret`)[name]!.entries;
      const dest = `${tmp}/dest`;
      await assert.rejects(extractLayer(Readable.from([await tarBuffer(entries)]), dest), (e: unknown) => {
        assert.ok(e instanceof LayerError, String(e));
        assert.equal(e.code, attack.code);
        return true;
      });
      assert.equal(readFileSync(`${victimDir}/secret`, 'utf8'), 'original');
      assert.deepEqual(readdirSync(tmp).sort(), ['dest', 'victim']);
      assert.deepEqual(readdirSync(victimDir), ['secret']);
      assert.equal(lstatSync(`${victimDir}/secret`).nlink, 1, 'no hard link made to the victim');
    } finally {
      cleanup();
    }
  });
}

test('a symlink left by an earlier layer is not followed by a later one', async () => {
  const { dir: tmp, cleanup } = tempDir();
  try {
    mkdirSync(`${tmp}/victim`);
    writeFileSync(`${tmp}/victim/secret`, 's');
    await extractLayer(Readable.from([await tarBuffer([symlink('lib', `${tmp}/victim`)])]), `${tmp}/dest`);
    for (const entries of [[file('lib/evil.so', 'x')], [dir('lib/sub')], [hardlink('stolen', 'lib/secret')], [file('lib/secret', 'overwritten')]]) {
      await assert.rejects(extractLayer(Readable.from([await tarBuffer(entries)]), `${tmp}/dest`), { code: 'LAYER_SYMLINK_IN_PATH' });
    }
    assert.deepEqual(readdirSync(`${tmp}/victim`), ['secret']);
    assert.equal(readFileSync(`${tmp}/victim/secret`, 'utf8'), 's');
    assert.equal(lstatSync(`${tmp}/victim/secret`).nlink, 1);
    // replacing the symlink itself with a directory is ordinary tar behaviour
    await extractLayer(Readable.from([await tarBuffer([dir('lib'), file('lib/ok', 'z')])]), `${tmp}/dest`);
    assert.ok(lstatSync(`${tmp}/dest/lib`).isDirectory());
    assert.deepEqual(readdirSync(`${tmp}/victim`), ['secret']);
  } finally {
    cleanup();
  }
});

test('later entries replace earlier ones; directories merge', async () => {
  const { dir: tmp, cleanup } = tempDir();
  try {
    const layer = await tarBuffer([
      file('a', 'first'),
      file('a', 'second'),
      dir('d'),
      file('d/keep', 'k'),
      dir('d', { mode: 0o700 }),
      file('x', 'file'),
      dir('x'),
      file('x/inside', 'i'),
      dir('gone'),
      file('gone/child', 'c'),
      symlink('gone', 'a'),
    ]);
    await extractLayer(Readable.from([layer]), `${tmp}/out`);
    assert.equal(readFileSync(`${tmp}/out/a`, 'utf8'), 'second');
    assert.equal(readFileSync(`${tmp}/out/d/keep`, 'utf8'), 'k');
    assert.equal(lstatSync(`${tmp}/out/d`).mode & 0o777, 0o700);
    assert.equal(readFileSync(`${tmp}/out/x/inside`, 'utf8'), 'i');
    assert.equal(readlinkSync(`${tmp}/out/gone`), 'a');
  } finally {
    cleanup();
  }
});

test('GNU tar archives (long names, hard links, sparse-free) unpack like GNU tar unpacks them', async () => {
  const { dir: tmp, cleanup } = tempDir();
  try {
    const deep = `${tmp}/src/${'n'.repeat(90)}/${'m'.repeat(90)}`;
    mkdirSync(deep, { recursive: true });
    writeFileSync(`${deep}/${'f'.repeat(100)}`, 'long');
    linkSync(`${deep}/${'f'.repeat(100)}`, `${tmp}/src/${'l'.repeat(110)}`);
    for (const format of ['gnu', 'posix']) {
      execFileSync('tar', [`--format=${format}`, '--xattrs', '-C', `${tmp}/src`, '-czf', `${tmp}/${format}.tgz`, '.']);
      await extractLayer(createReadStream(`${tmp}/${format}.tgz`), `${tmp}/out-${format}`);
      assert.deepEqual(listTree(`${tmp}/out-${format}`), listTree(`${tmp}/src`), format);
      assert.equal(
        lstatSync(`${tmp}/out-${format}/${'l'.repeat(110)}`).ino,
        lstatSync(`${tmp}/out-${format}/${'n'.repeat(90)}/${'m'.repeat(90)}/${'f'.repeat(100)}`).ino,
      );
    }
  } finally {
    cleanup();
  }
});

test('corrupt compressed input is a LAYER_DECOMPRESS error', async () => {
  const { dir: tmp, cleanup } = tempDir();
  try {
    const good = gzipSync(await tarBuffer([file('a', 'x'.repeat(10_000))]));
    const bad = Buffer.concat([good.subarray(0, 20), Buffer.alloc(200, 0xaa)]);
    await assert.rejects(extractLayer(Readable.from([bad]), `${tmp}/out`), { code: 'LAYER_DECOMPRESS' });
    const zstdBad = Buffer.concat([Buffer.from([0x28, 0xb5, 0x2f, 0xfd]), Buffer.alloc(100, 0x55)]);
    await assert.rejects(extractLayer(Readable.from([zstdBad]), `${tmp}/out2`), { code: 'LAYER_DECOMPRESS' });
  } finally {
    cleanup();
  }
});
