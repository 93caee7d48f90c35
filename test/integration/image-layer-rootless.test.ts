// Unpacking layers as a real unprivileged user: inside the user's namespace (its own id as 0, its
// /etc/subuid and /etc/subgid ranges after it), where the image's ownership lands in the ranges,
// and on the host, where it cannot and is counted instead. Hand-made tars with setuid binaries,
// device nodes, owners outside the ranges and `../` entries must neither fail obscurely nor give
// the user anything it lacks.
import assert from 'node:assert/strict';
import { chownSync, lstatSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { after, before, describe, it } from 'node:test';
import type { TarEntry } from '../../src/image/layer/index.js';
import { sys } from '../../src/sys/native.js';
import { dir, file, maliciousTars, opaque, tarBuffer, whiteout } from '../fixtures/layers.js';
import { createUnprivilegedUser, type UnprivilegedUser } from '../fixtures/unprivileged-user.js';

const WORKER = resolve('test/fixtures/rootless/extract-layer.ts');
const IN_USERNS = resolve('test/fixtures/rootless/in-userns.ts');

type Outcome = { warnings?: string[]; error?: { code: string; message: string } };

const device = (name: string, type: 'char' | 'block', major: number, minor: number): TarEntry => ({
  header: { name, type, mode: 0o660, devMajor: major, devMinor: minor, mtime: 1_700_000_000 },
});

/** An image's worth of awkward entries. */
const awkwardLayer = (): TarEntry[] => [
  dir('bin'),
  file('bin/su', 'setuid root\n', { mode: 0o4755, uid: 0, gid: 0 }),
  file('bin/wall', 'setgid tty\n', { mode: 0o2755, uid: 0, gid: 5 }),
  dir('dev'),
  device('dev/sda', 'block', 8, 0),
  device('dev/mem', 'char', 1, 1),
  dir('home'),
  dir('home/app', { uid: 1000, gid: 1000, mode: 0o750 }),
  file('home/app/notes', 'mine\n', { uid: 1000, gid: 1000 }),
  file('opt/far-away', 'owned beyond the ranges\n', { mode: 0o4755, uid: 200_000, gid: 200_000 }),
  dir('locked', { mode: 0o555 }),
  file('locked/inside', 'written before the directory went read-only\n'),
  whiteout('etc/motd'),
  dir('var'),
  opaque('var'),
];

describe('layer extraction as an unprivileged user', () => {
  let u: UnprivilegedUser;
  let layerTar: string;
  before(async () => {
    u = createUnprivilegedUser();
    mkdirSync(join(u.home, 'tmp'));
    chownSync(join(u.home, 'tmp'), u.uid, u.gid);
    layerTar = join(u.home, 'awkward.tar');
    writeFileSync(layerTar, await tarBuffer(awkwardLayer()));
  });
  after(() => u.remove());

  /** Runs the extraction worker as the user, inside its namespace or on the host. */
  function extractAs(where: 'userns' | 'host', tar: string, dest: string, ...flags: string[]): Outcome {
    const worker = [process.execPath, '--import', 'tsx', WORKER, tar, dest, ...flags];
    const [cmd, ...args] = where === 'userns' ? [process.execPath, '--import', 'tsx', IN_USERNS, ...worker] : worker;
    // tsx's cache goes to the user's own TMPDIR: in the namespace the user is uid 0, and root's /tmp/tsx-0 is not its own.
    const r = u.run(cmd!, args, { cwd: process.cwd(), env: { TMPDIR: join(u.home, 'tmp') } });
    assert.equal(r.status, 0, r.stderr);
    return JSON.parse(r.stdout) as Outcome;
  }

  it('inside the user\'s namespace: owners land in the ranges, setuid kept, devices skipped, outsiders counted', () => {
    const dest = join(u.home, 'in-ns');
    const out = extractAs('userns', layerTar, dest, '--rootless');
    assert.equal(out.error, undefined);
    const st = (p: string) => lstatSync(join(dest, p));
    // Container root is the user; container uid 1000 is the 1000th id of the user's range.
    assert.equal(st('bin/su').uid, u.uid);
    assert.equal(st('bin/su').mode & 0o7777, 0o4755);
    assert.equal(st('bin/wall').gid, u.subgid!.start + 4);
    assert.equal(st('bin/wall').mode & 0o7777, 0o2755);
    assert.equal(st('home/app/notes').uid, u.subuid!.start + 999);
    assert.equal(st('home/app').gid, u.subgid!.start + 999);
    assert.equal(st('home/app').mode & 0o7777, 0o750);
    // Beyond the ranges: kept, but the user's and without its setuid bit.
    assert.equal(st('opt/far-away').uid, u.uid);
    assert.equal(st('opt/far-away').mode & 0o7777, 0o755);
    assert.equal(readFileSync(join(dest, 'opt/far-away'), 'utf8'), 'owned beyond the ranges\n');
    // Devices are skipped; whiteouts and the opaque marker are what overlay reads in a user namespace.
    assert.ok(!existsQuiet(join(dest, 'dev/sda')) && !existsQuiet(join(dest, 'dev/mem')));
    assert.ok(st('etc/motd').isCharacterDevice() && st('etc/motd').rdev === 0);
    assert.equal(sys().lgetxattr(join(dest, 'var'), 'user.overlay.opaque')?.toString(), 'y');
    assert.equal(st('locked').mode & 0o777, 0o555);
    assert.ok(st('locked/inside').isFile());
    assert.deepEqual(out.warnings!.map((w) => w.replace(/ \(first:.*?\):/, ':')), [
      '1 entries are owned by ids outside the id mapping: they belong to the extracting user instead, without setuid/setgid bits',
      '2 device nodes skipped: a user cannot create them, and a container gets its devices from the runtime',
    ]);
    assert.match(out.warnings![0]!, /first: opt\/far-away \(uid 200000, gid 200000\)/);
  });

  it('on the host: nothing the kernel refuses is recorded, and it is counted, not failed', () => {
    const dest = join(u.home, 'on-host');
    const out = extractAs('host', layerTar, dest, '--rootless');
    assert.equal(out.error, undefined);
    const st = (p: string) => lstatSync(join(dest, p));
    for (const p of ['bin/su', 'bin/wall', 'home/app/notes', 'opt/far-away']) assert.equal(st(p).uid, u.uid, p);
    // setuid/setgid only where the owner the image asked for was applied: here, nowhere.
    assert.equal(st('bin/su').mode & 0o7777, 0o755);
    assert.equal(st('bin/wall').mode & 0o7777, 0o755);
    assert.ok(!existsQuiet(join(dest, 'dev/sda')));
    assert.equal(out.warnings!.length, 2);
    assert.match(out.warnings![0]!, /^\d+ entries could not be given their owner without root \(first: bin\/ \(uid 0, gid 0\)\)/);
  });

  it('on the host with an id map: the user\'s own id is applied (setuid kept), the ranges are counted', () => {
    const dest = join(u.home, 'mapped');
    const map = { uidMappings: [{ containerID: 0, hostID: u.uid, size: 1 }], gidMappings: [{ containerID: 0, hostID: u.gid, size: 1 }] };
    const out = extractAs('host', layerTar, dest, '--rootless', '--idmap', JSON.stringify(map));
    assert.equal(out.error, undefined);
    assert.equal(lstatSync(join(dest, 'bin/su')).mode & 0o7777, 0o4755);
    assert.equal(lstatSync(join(dest, 'home/app/notes')).uid, u.uid);
    assert.match(out.warnings!.join('\n'), /entries are owned by ids outside the id mapping \(first: bin\/wall \(uid 0, gid 5\)\)/);
  });

  it('refuses every escape, in the namespace and on the host, with the escape\'s own error', async () => {
    const victim = join(u.home, 'victim');
    u.writeFile(victim, 'untouched\n');
    for (const [name, { entries, code }] of Object.entries(maliciousTars(victim))) {
      const tar = join(u.home, `${name}.tar`);
      writeFileSync(tar, await tarBuffer(entries));
      for (const where of ['userns', 'host'] as const) {
        const out = extractAs(where, tar, join(u.home, `x-${name}-${where}`), '--rootless');
        assert.equal(out.error?.code, code, `${name} (${where}): ${JSON.stringify(out)}`);
      }
    }
    assert.equal(readFileSync(victim, 'utf8'), 'untouched\n');
  });
});

function existsQuiet(path: string): boolean {
  try {
    lstatSync(path);
    return true;
  } catch {
    return false;
  }
}
