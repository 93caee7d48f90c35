// Tar reading and writing, compression sniffing, entry path rules: pure logic, checked against
// GNU tar as an independent implementation.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdirSync, symlinkSync, writeFileSync, utimesSync } from 'node:fs';
import { Readable } from 'node:stream';
import { detectCompression } from '../../src/image/layer/compression.js';
import { entryComponents, whiteoutOf } from '../../src/image/layer/entry-path.js';
import { LayerError } from '../../src/image/layer/errors.js';
import { readTar } from '../../src/image/layer/tar-reader.js';
import { TarParser } from '../../src/image/layer/tar-parser.js';
import type { TarHeader } from '../../src/image/layer/tar-header.js';
import { overlayOptions } from '../../src/image/snapshot/overlay-options.js';
import { dir, file, hardlink, symlink, tarBuffer } from '../fixtures/layers.js';
import { tempDir } from '../fixtures/busybox.js';

async function readAll(tar: Buffer, chunkSize = 7_777): Promise<{ header: TarHeader; content: Buffer }[]> {
  const chunks: Buffer[] = [];
  for (let i = 0; i < tar.length; i += chunkSize) chunks.push(tar.subarray(i, i + chunkSize));
  const out: { header: TarHeader; content: Buffer }[] = [];
  for await (const { header, body } of readTar(Readable.from(chunks))) {
    const parts: Buffer[] = [];
    for await (const c of body) parts.push(c as Buffer);
    out.push({ header, content: Buffer.concat(parts) });
  }
  return out;
}

test('compression is sniffed from magic bytes', () => {
  assert.equal(detectCompression(Buffer.from([0x1f, 0x8b, 8, 0])), 'gzip');
  assert.equal(detectCompression(Buffer.from([0x28, 0xb5, 0x2f, 0xfd])), 'zstd');
  assert.equal(detectCompression(Buffer.from('etc/passwd')), 'none');
  assert.equal(detectCompression(Buffer.alloc(0)), 'none');
});

test('entry paths: absolute names lose the slash, .. may not climb out', () => {
  assert.deepEqual(entryComponents('/etc/passwd'), ['etc', 'passwd']);
  assert.deepEqual(entryComponents('./usr//bin/./sh'), ['usr', 'bin', 'sh']);
  assert.deepEqual(entryComponents('a/../b'), ['b']);
  assert.deepEqual(entryComponents('./'), []);
  for (const bad of ['..', '../x', 'a/../../x', '/../x']) {
    assert.throws(() => entryComponents(bad), (e: unknown) => e instanceof LayerError && e.code === 'LAYER_PATH_ESCAPE', bad);
  }
  assert.deepEqual(whiteoutOf('.wh.motd', 'etc/.wh.motd'), { kind: 'whiteout', hidden: 'motd' });
  assert.deepEqual(whiteoutOf('.wh..wh..opq', 'x'), { kind: 'opaque' });
  assert.deepEqual(whiteoutOf('.wh..wh.plnk', 'x'), { kind: 'aufs-meta' });
  assert.deepEqual(whiteoutOf('motd', 'x'), { kind: 'none' });
  assert.throws(() => whiteoutOf('.wh...', 'a/.wh...'), /names no file/);
});

test('writer and reader round-trip long names, links, ids, xattrs and binary content', async () => {
  const longName = `${'deep/'.repeat(40)}file-with-a-long-name.txt`;
  const content = Buffer.alloc(70_001, 7);
  const cap = Buffer.from([1, 0, 0, 2, 0x20, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0]);
  const tar = await tarBuffer([
    dir('deep', { mode: 0o2755, uid: 5, gid: 6 }),
    file(longName, content, { uid: 3_000_000, gid: 70_000_000, mode: 0o4755, xattrs: new Map([['security.capability', cap]]) }),
    symlink('s', `../${'t'.repeat(150)}`),
    hardlink('h', longName),
    file('ünïcode-名前', 'x'),
    { header: { name: 'dev/null', type: 'char', mode: 0o666, devMajor: 1, devMinor: 3 } },
    { header: { name: 'p', type: 'fifo', mode: 0o600 } },
  ]);
  const entries = await readAll(tar);
  assert.deepEqual(
    entries.map((e) => [e.header.name, e.header.type]),
    [
      ['deep/', 'directory'],
      [longName, 'file'],
      ['s', 'symlink'],
      ['h', 'hardlink'],
      ['ünïcode-名前', 'file'],
      ['dev/null', 'char'],
      ['p', 'fifo'],
    ],
  );
  const [d, f, s, h, , dev] = entries;
  assert.equal(d!.header.mode, 0o2755);
  assert.equal(d!.header.uid, 5);
  assert.equal(f!.header.mode, 0o4755);
  assert.equal(f!.header.uid, 3_000_000);
  assert.equal(f!.header.gid, 70_000_000);
  assert.equal(f!.header.mtime, 1_700_000_000);
  assert.deepEqual(f!.content, content);
  assert.deepEqual(f!.header.xattrs.get('security.capability'), cap);
  assert.equal(s!.header.linkname, `../${'t'.repeat(150)}`);
  assert.equal(h!.header.linkname, longName);
  assert.equal(dev!.header.devMajor, 1);
  assert.equal(dev!.header.devMinor, 3);

  // GNU tar agrees on what we wrote
  const { dir: tmp, cleanup } = tempDir();
  try {
    writeFileSync(`${tmp}/t.tar`, tar);
    const listing = execFileSync('tar', ['-tvf', `${tmp}/t.tar`], { encoding: 'utf8' });
    assert.match(listing, new RegExp(longName.replace(/\./g, '\\.')));
    assert.match(listing, /h link to deep\//);
  } finally {
    cleanup();
  }
});

test('GNU, PAX and ustar archives made by GNU tar are read', async () => {
  const { dir: tmp, cleanup } = tempDir();
  try {
    const src = `${tmp}/src`;
    const longDir = `${src}/${'x'.repeat(120)}/${'y'.repeat(120)}`;
    mkdirSync(longDir, { recursive: true });
    writeFileSync(`${longDir}/data`, 'hello');
    symlinkSync(`/${'z'.repeat(130)}`, `${src}/longlink`);
    utimesSync(`${longDir}/data`, 1_600_000_000.25, 1_600_000_000.5);
    for (const format of ['gnu', 'posix']) {
      execFileSync('tar', [`--format=${format}`, '-C', src, '-cf', `${tmp}/${format}.tar`, '.']);
      const entries = await readAll(execFileSync('cat', [`${tmp}/${format}.tar`]), 1000);
      const data = entries.find((e) => e.header.name.endsWith('/data'))!;
      assert.equal(data.header.name, `./${'x'.repeat(120)}/${'y'.repeat(120)}/data`, format);
      assert.equal(data.content.toString(), 'hello');
      assert.equal(entries.find((e) => e.header.type === 'symlink')!.header.linkname, `/${'z'.repeat(130)}`, format);
      // PAX keeps fractions of a second, GNU does not
      assert.equal(data.header.mtime, format === 'posix' ? 1_600_000_000.5 : 1_600_000_000);
    }
    writeFileSync(`${src}/short`, 'ustar');
    execFileSync('tar', ['--format=ustar', '-C', src, '-cf', `${tmp}/ustar.tar`, 'short']);
    const [only] = await readAll(execFileSync('cat', [`${tmp}/ustar.tar`]));
    assert.equal(only!.header.name, 'short');
    assert.equal(only!.content.toString(), 'ustar');
  } finally {
    cleanup();
  }
});

test('unread bodies are skipped and the next entry is still found', async () => {
  const tar = await tarBuffer([file('a', Buffer.alloc(100_000, 1)), file('b', 'bee'), file('c', Buffer.alloc(3000, 3))]);
  const seen: string[] = [];
  for await (const { header, body } of readTar(Readable.from([tar.subarray(0, 5000), tar.subarray(5000)]))) {
    seen.push(header.name);
    if (header.name === 'b') {
      let s = '';
      for await (const c of body) s += String(c);
      assert.equal(s, 'bee');
    }
  }
  assert.deepEqual(seen, ['a', 'b', 'c']);
});

test('corrupt and truncated tars are refused with LAYER_BAD_TAR', async () => {
  const tar = await tarBuffer([file('a', 'content')]);
  const corrupt = Buffer.from(tar);
  corrupt[0] = 0x41;
  const parse = (buf: Buffer) => {
    const p = new TarParser({ entry: () => {}, data: () => {}, entryEnd: () => {} });
    p.push(buf);
    p.finish();
  };
  assert.throws(() => parse(corrupt), (e: unknown) => e instanceof LayerError && e.code === 'LAYER_BAD_TAR' && /checksum/.test(e.message));
  assert.throws(() => parse(tar.subarray(0, 600)), (e: unknown) => e instanceof LayerError && e.code === 'LAYER_BAD_TAR' && /ends inside/.test(e.message));
  // a stream that stops cleanly at an entry boundary without end blocks is accepted, like Go's reader
  assert.doesNotThrow(() => parse(tar.subarray(0, 1024)));
});

test('overlay option strings escape colons and refuse commas', () => {
  assert.equal(overlayOptions({ lowerDirs: ['/a', '/b:c'], upperDir: '/u', workDir: '/w' }), 'lowerdir=/a:/b\\:c,upperdir=/u,workdir=/w');
  assert.equal(overlayOptions({ lowerDirs: ['/l1', '/l2'] }), 'lowerdir=/l1:/l2');
  assert.throws(() => overlayOptions({ lowerDirs: ['/a,b'] }), /comma/);
});
