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
const MOUNTER = resolve('test/fixtures/rootless/mount-overlay.ts');
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

/** Runs a TypeScript worker as the user: on the host, in its user namespace, or in its user and mount namespaces. */
function asUser<T>(u: UnprivilegedUser, where: 'host' | 'userns' | 'userns+mnt', script: string, ...args: string[]): T {
  const worker = [process.execPath, '--import', 'tsx', script, ...args];
  const inNs = where === 'host' ? [] : [process.execPath, '--import', 'tsx', IN_USERNS, ...(where === 'userns+mnt' ? ['--mount-ns'] : [])];
  const [cmd, ...argv] = [...inNs, ...worker];
  // tsx's cache goes to the user's own TMPDIR: in the namespace the user is uid 0, and root's /tmp/tsx-0 is not its own.
  const r = u.run(cmd!, argv, { cwd: process.cwd(), env: { TMPDIR: join(u.home, 'tmp') } });
  assert.equal(r.status, 0, r.stderr);
  return JSON.parse(r.stdout) as T;
}

/** A user for one suite, with a TMPDIR of its own. */
function userWithTmp(): UnprivilegedUser {
  const u = createUnprivilegedUser();
  mkdirSync(join(u.home, 'tmp'));
  chownSync(join(u.home, 'tmp'), u.uid, u.gid);
  return u;
}

describe('layer extraction as an unprivileged user', () => {
  let u: UnprivilegedUser;
  let layerTar: string;
  before(async () => {
    u = userWithTmp();
    layerTar = join(u.home, 'awkward.tar');
    writeFileSync(layerTar, await tarBuffer(awkwardLayer()));
  });
  after(() => u.remove());

  const extractAs = (where: 'userns' | 'host', tar: string, dest: string, ...flags: string[]) => asUser<Outcome>(u, where, WORKER, tar, dest, ...flags);

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

describe('rootless overlay mounts in the user\'s namespaces', () => {
  let u: UnprivilegedUser;
  let lowerDirs: string[];
  type Seen = { driver?: string; fstype?: string; etc?: string[]; var?: string[]; error?: { code: string; message: string } };
  const mountAs = (req: Record<string, unknown>) => asUser<Seen>(u, 'userns+mnt', MOUNTER, JSON.stringify(req));
  before(async () => {
    u = userWithTmp();
    const layers = [
      [dir('etc'), file('etc/motd', 'hello\n'), file('etc/hostname', 'base\n'), dir('var'), file('var/old', 'old\n')],
      [dir('etc'), whiteout('etc/motd'), dir('var'), opaque('var'), file('var/new', 'new\n', { uid: 1000, gid: 1000 })],
    ];
    lowerDirs = [];
    for (const [i, entries] of layers.entries()) {
      const tar = join(u.home, `layer${i}.tar`);
      writeFileSync(tar, await tarBuffer(entries));
      const dest = join(u.home, `layer${i}`);
      assert.deepEqual(asUser<Outcome>(u, 'userns', WORKER, tar, dest, '--rootless'), { warnings: [] });
      lowerDirs.unshift(dest);
    }
  });
  after(() => u.remove());

  for (const forceFuse of [false, true]) {
    it(forceFuse ? 'falls back to fuse-overlayfs where the kernel refuses, with the same view' : 'mounts the kernel\'s overlayfs with userxattr: whiteouts and opaque directories work', () => {
      const name = forceFuse ? 'fuse' : 'kernel';
      const upperDir = join(u.home, `${name}-upper`);
      const seen = mountAs({ lowerDirs, upperDir, workDir: join(u.home, `${name}-work`), target: join(u.home, `${name}-root`), forceFuse });
      assert.deepEqual(seen, {
        driver: forceFuse ? 'fuse-overlayfs' : 'overlay', fstype: forceFuse ? 'fuse.fuse-overlayfs' : 'overlay', etc: ['hostname'], var: ['new'],
      });
      // The write went to the upper dir, as the user's namespace root (the user on the host).
      assert.equal(readFileSync(join(upperDir, 'var/written'), 'utf8'), 'through the mount\n');
      assert.equal(lstatSync(join(upperDir, 'var/written')).uid, u.uid);
      // Nothing stays mounted on the host.
      assert.ok(!readFileSync('/proc/self/mountinfo', 'utf8').includes(`${name}-root`));
    });
  }

  it('says clearly when neither overlayfs nor fuse-overlayfs can mount', () => {
    const seen = mountAs({
      lowerDirs, upperDir: join(u.home, 'none-upper'), workDir: join(u.home, 'none-work'), target: join(u.home, 'none-root'),
      forceFuse: true, fuseOverlayfs: '/nonexistent/fuse-overlayfs',
    });
    assert.equal(seen.error?.code, 'SNAPSHOT_MOUNT');
    assert.match(seen.error!.message, /^cannot mount the layers on \S+none-root without root: the kernel's overlayfs in the user namespace refused \(Operation not permitted \(EPERM\)\), and \/nonexistent\/fuse-overlayfs is not installed \(Debian's fuse-overlayfs package\)$/);
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
