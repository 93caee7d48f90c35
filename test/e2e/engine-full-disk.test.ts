// A full disk under the engine root (a small tmpfs, filled up): writes fail saying "no space left
// on device" and what was being written, read-only commands still work, nothing is corrupted or
// half-made, and everything works again once space is freed.
import assert from 'node:assert/strict';
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { openSqlite } from '../../src/state/sqlite.js';
import { CLI, leftovers, until } from './engine-fixture.js';

describe('a full disk under the engine root', { timeout: 120_000 }, () => {
  const mnt = mkdtempSync(join(tmpdir(), 'vessel-e2e-full-'));
  const root = join(mnt, 'root');
  const filler = join(mnt, 'filler');
  const vessel = (...args: string[]) => spawnSync(process.execPath, [CLI, '--root', root, ...args], { encoding: 'utf8', timeout: 60_000 });
  const ok = (...args: string[]) => {
    const r = vessel(...args);
    assert.equal(r.status, 0, `vessel ${args.join(' ')}: ${r.stderr}`);
    return r.stdout;
  };
  let ids: string[] = [];

  before(() => {
    execFileSync('mount', ['-t', 'tmpfs', '-o', 'size=32m', 'tmpfs', mnt]);
    mkdirSync(root);
    execFileSync('sh', ['scripts/import-busybox.sh', '--root', root], { stdio: 'pipe' });
  });

  after(() => {
    rmSync(filler, { force: true });
    vessel('system', 'reset', '-f');
    for (const line of readFileSync('/proc/mounts', 'utf8').split('\n').reverse()) {
      const target = line.split(' ')[1];
      if (target?.startsWith(root)) spawnSync('umount', ['-l', target]);
    }
    spawnSync('umount', [mnt]);
    rmdirSync(mnt);
  });

  it('refuses writes with a clear message, keeps reads working, and recovers once space is freed', async () => {
    const up = ok('run', '-d', '--name', 'up', '--network', 'none', 'busybox', 'sh', '-c', 'echo hello; sleep 3600').trim();
    const made = ok('create', '--name', 'made', '--network', 'none', 'busybox', 'true').trim();
    ids = [up, made];
    assert.ok(await until(() => ok('logs', 'up') === 'hello\n'));
    spawnSync('dd', ['if=/dev/zero', `of=${filler}`, 'bs=64k'], { stdio: 'ignore' });
    assert.match(execFileSync('df', ['--output=avail', mnt], { encoding: 'utf8' }), /\n\s*0\n/, 'the filesystem is full');

    // reads
    assert.deepEqual(ok('ps', '-a', '--format', '{{.Names}} {{.State}}').trim().split('\n').sort(), ['made created', 'up running']);
    assert.match(ok('images', '--format', '{{.Repository}}'), /^busybox$/m);
    assert.equal(ok('inspect', '--format', '{{.State.Running}}', 'up').trim(), 'true');
    assert.equal(ok('logs', 'up'), 'hello\n');
    ok('system', 'df');

    // writes: refused, saying what could not be written
    for (const args of [['run', '--rm', '--network', 'none', 'busybox', 'true'], ['create', '--name', 'late', '--network', 'none', 'busybox', 'true'], ['rm', '-f', 'made']]) {
      const r = vessel(...args);
      assert.notEqual(r.status, 0, `${args.join(' ')} fails`);
      assert.match(r.stderr, new RegExp(`cannot write the state database ${join(root, 'vessel.db')}: no space left on device`), args.join(' '));
    }
    const tar = join(tmpdir(), `vessel-full-${process.pid}.tar`);
    execFileSync('tar', ['-C', '/bin', '-cf', tar, 'busybox']);
    try {
      const r = vessel('import', tar, 'late:1');
      assert.notEqual(r.status, 0);
      assert.match(r.stderr, new RegExp(`writing .* to ${join(root, 'tmp')}/\\S+: no space left on device`));
    } finally {
      rmSync(tar, { force: true });
    }

    // space back: nothing was corrupted or half-made, and everything works
    rmSync(filler);
    const db = openSqlite(join(root, 'vessel.db'), { readonly: true });
    try {
      assert.equal(db.pragma('integrity_check', { simple: true }), 'ok');
    } finally {
      db.close();
    }
    assert.deepEqual(ok('ps', '-a', '--format', '{{.Names}} {{.State}}').trim().split('\n').sort(), ['made created', 'up running']);
    assert.deepEqual(ok('images', '--format', '{{.Repository}}').trim().split('\n'), ['busybox']);
    assert.equal(ok('run', '--rm', '--network', 'none', 'busybox', 'echo', 'back'), 'back\n');
    assert.equal(ok('logs', 'up'), 'hello\n');
    ok('rm', '-f', 'up', 'made');
    assert.equal(ok('ps', '-aq'), '');
    assert.ok(await until(() => leftovers(root, ids).length === 0), leftovers(root, ids).join('; '));
  });
});
