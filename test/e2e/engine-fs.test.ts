// A container's file system from the outside: diff, export, commit, cp (both ways, through tar
// streams too, and never out of the container through its symlinks), and --init, end to end
// through the built CLI as root.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { chownSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { CLI, engineRoot, until, type EngineRoot } from './engine-fixture.js';

let e: EngineRoot;
let host: string;
before(() => {
  e = engineRoot();
  host = mkdtempSync(join(tmpdir(), 'vessel-fs-host-'));
});
after(() => {
  e.cleanup();
  rmSync(host, { recursive: true, force: true });
});

const NONE = ['--network', 'none'];

/** `vessel ARGS | sh -c PIPE` with binary-safe plumbing; returns the pipe's stdout. */
function piped(args: string[], pipe: string): string {
  const quoted = [process.execPath, CLI, '--root', e.root, ...args].map((a) => `'${a.replace(/'/g, `'\\''`)}'`).join(' ');
  const r = spawnSync('bash', ['-o', 'pipefail', '-c', `${quoted} | ${pipe}`], { encoding: 'utf8', timeout: 60_000 });
  assert.equal(r.status, 0, r.stderr);
  return r.stdout;
}

function rootMounts(): string[] {
  return readFileSync('/proc/mounts', 'utf8').split('\n').filter((l) => l.split(' ')[1]?.startsWith(e.root));
}

test('diff lists additions, changes and deletions (whiteouts) of a stopped container', () => {
  e.ok('run', ...NONE, '--name', 'changed', 'busybox', 'sh', '-c', 'echo new > /newfile; echo x:x:9:9::/:/bin/sh >> /etc/passwd; rm /bin/ls; mkdir /d; echo z > /d/f');
  assert.deepEqual(e.ok('diff', 'changed').split('\n').filter(Boolean), [
    'C /bin', 'D /bin/ls', 'A /d', 'A /d/f', 'C /etc', 'C /etc/passwd', 'A /newfile',
  ]);
});

test('export writes the merged file system of a stopped container to -o or stdout and unmounts it', () => {
  const file = join(host, 'changed.tar');
  e.ok('export', '-o', file, 'changed');
  const names = spawnSync('tar', ['-tf', file], { encoding: 'utf8' }).stdout.split('\n');
  assert.ok(names.includes('newfile') && names.includes('bin/sh') && names.includes('etc/passwd'), 'upper and lower files are there');
  assert.ok(!names.includes('bin/ls'), 'a deleted file is not');
  assert.equal(piped(['export', 'changed'], 'tar -xO newfile'), 'new\n');
  assert.match(piped(['export', 'changed'], 'tar -xO etc/passwd'), /x:x:9:9/);
  assert.deepEqual(rootMounts(), [], 'the read-only view is unmounted again');
});

test('export of a running container reads its mounted root file system', async (t) => {
  e.ok('run', '-d', ...NONE, '--name', 'live', 'busybox', 'sleep', '1000');
  t.after(() => e.vessel('rm', '-f', 'live'));
  e.ok('exec', 'live', 'sh', '-c', 'echo running > /live-file');
  assert.equal(piped(['export', 'live'], 'tar -xO live-file'), 'running\n');
  assert.equal(e.ok('inspect', '--format', '{{.State.Status}}', 'live').trim(), 'running');
});

test('commit makes an image whose new layer carries the changes, with --change, -m and -a', () => {
  const id = e.ok('commit', '-c', 'CMD ["cat", "/newfile"]', '-c', 'ENV COMMITTED=yes', '-m', 'my message', '-a', 'A. Uthor', 'changed', 'committed:v1').trim();
  assert.match(id, /^sha256:[0-9a-f]{64}$/);
  assert.equal(e.ok('run', '--rm', ...NONE, 'committed:v1'), 'new\n', 'the new CMD runs and sees the added file');
  const seen = e.ok('run', '--rm', ...NONE, 'committed:v1', 'sh', '-c', 'test -e /bin/ls && echo ls-present; cat /d/f; grep -c x:x:9 /etc/passwd; echo $COMMITTED');
  assert.equal(seen, 'z\n1\nyes\n', 'the deletion is a whiteout, additions and changes are there');
  const [info] = JSON.parse(e.ok('image', 'inspect', 'committed:v1')) as { Author: string; Comment: string; RootFS?: { Layers: string[] } }[];
  assert.equal(info!.Author, 'A. Uthor');
  assert.equal(info!.Comment, 'my message');
  const base = JSON.parse(e.ok('image', 'inspect', 'busybox')) as { RootFS?: { Layers: string[] } }[];
  if (info!.RootFS && base[0]!.RootFS) assert.equal(info!.RootFS.Layers.length, base[0]!.RootFS.Layers.length + 1);
});

test('commit of a running container pauses it only for the commit', async (t) => {
  e.ok('run', '-d', ...NONE, '--name', 'busy', 'busybox', 'sh', '-c', 'echo data > /made-live; sleep 1000');
  t.after(() => e.vessel('rm', '-f', 'busy'));
  assert.ok(await until(() => e.vessel('exec', 'busy', 'test', '-e', '/made-live').status === 0));
  e.ok('commit', 'busy', 'committed:live');
  assert.equal(e.ok('inspect', '--format', '{{.State.Status}}', 'busy').trim(), 'running');
  assert.equal(e.ok('run', '--rm', ...NONE, 'committed:live', 'cat', '/made-live'), 'data\n');
});

test('cp copies files and directories both ways for a running container, and tar streams with -', async (t) => {
  e.ok('run', '-d', ...NONE, '--name', 'cpr', 'busybox', 'sleep', '1000');
  t.after(() => e.vessel('rm', '-f', 'cpr'));
  const src = join(host, 'src');
  mkdirSync(join(src, 'sub'), { recursive: true });
  writeFileSync(join(src, 'sub', 'a.txt'), 'alpha\n');
  writeFileSync(join(host, 'single.txt'), 'single\n');

  e.ok('cp', src, 'cpr:/tmp');
  e.ok('cp', join(host, 'single.txt'), 'cpr:/renamed.txt');
  assert.equal(e.ok('exec', 'cpr', 'cat', '/tmp/src/sub/a.txt', '/renamed.txt'), 'alpha\nsingle\n');
  assert.equal(e.ok('exec', 'cpr', 'stat', '-c', '%u:%g', '/tmp/src/sub/a.txt').trim(), '0:0');
  chownSync(join(host, 'single.txt'), 1234, 5678);
  e.ok('cp', '-a', join(host, 'single.txt'), 'cpr:/owned.txt');
  assert.equal(e.ok('exec', 'cpr', 'stat', '-c', '%u:%g', '/owned.txt').trim(), '1234:5678', '-a keeps uid and gid');

  e.ok('exec', 'cpr', 'sh', '-c', 'mkdir -p /out/in && echo beta > /out/in/b.txt && ln -s /etc/passwd /out/link');
  const dest = join(host, 'dest');
  e.ok('cp', 'cpr:/out', dest);
  assert.equal(readFileSync(join(dest, 'in', 'b.txt'), 'utf8'), 'beta\n');
  assert.ok(statSync(dest).isDirectory());
  assert.equal(spawnSync('readlink', [join(dest, 'link')], { encoding: 'utf8' }).stdout, '/etc/passwd\n', 'a symlink is copied as a symlink');
  e.ok('cp', 'cpr:/out/.', join(host, 'contents'));
  assert.equal(readFileSync(join(host, 'contents', 'in', 'b.txt'), 'utf8'), 'beta\n', 'SRC/. copies the contents');

  assert.equal(piped(['cp', 'cpr:/out/in/b.txt', '-'], 'tar -xO b.txt'), 'beta\n');
  const tarFile = join(host, 'in.tar');
  spawnSync('tar', ['-cf', tarFile, '-C', src, 'sub']);
  const r = spawnSync(process.execPath, [CLI, '--root', e.root, 'cp', '-', 'cpr:/tmp'], { input: readFileSync(tarFile), encoding: 'utf8' });
  assert.equal(r.status, 0, r.stderr);
  assert.equal(e.ok('exec', 'cpr', 'cat', '/tmp/sub/a.txt'), 'alpha\n');
});

test('cp works on a stopped container through its overlay and leaves nothing mounted', () => {
  e.ok('create', ...NONE, '--name', 'cps', 'busybox', 'cat', '/copied.txt');
  writeFileSync(join(host, 'copied.txt'), 'copied in\n');
  e.ok('cp', join(host, 'copied.txt'), 'cps:/');
  e.ok('cp', 'cps:/etc/passwd', join(host, 'passwd-from-image'));
  assert.match(readFileSync(join(host, 'passwd-from-image'), 'utf8'), /^root:x:0:0:/);
  assert.deepEqual(rootMounts(), []);
  assert.equal(e.ok('start', '-a', 'cps'), 'copied in\n');
  assert.ok(e.ok('diff', 'cps').split('\n').includes('A /copied.txt'));
  const missing = e.vessel('cp', 'cps:/no/such/file', host);
  assert.equal(missing.status, 1);
  assert.match(missing.stderr, /Could not find the file \/no\/such\/file/);
});

test('cp CONTAINER:/ DIR copies the whole root file system, without the kernel file systems mounted in it', async (t) => {
  e.ok('run', '-d', ...NONE, '--name', 'cproot', '-v', `${join(host, 'vol')}:/vol`, 'busybox', 'sh', '-c', 'echo root-level > /marker; echo in-volume > /vol/v; exec sleep 1000');
  t.after(() => e.vessel('rm', '-f', 'cproot'));
  assert.ok(await until(() => e.vessel('exec', 'cproot', 'test', '-e', '/vol/v').status === 0));
  const into = join(host, 'whole-root');
  mkdirSync(into);
  const r = e.vessel('cp', 'cproot:/', into);
  assert.equal(r.status, 0, r.stderr);
  assert.equal(readFileSync(join(into, 'marker'), 'utf8'), 'root-level\n', 'an existing DIR receives the contents of /');
  assert.equal(readFileSync(join(into, 'vol', 'v'), 'utf8'), 'in-volume\n', 'volumes are part of the view');
  assert.match(readFileSync(join(into, 'etc', 'hostname'), 'utf8'), /^[0-9a-f]{12}\n$/);
  assert.ok(statSync(join(into, 'bin', 'busybox')).isFile());
  for (const dir of ['proc', 'sys']) {
    assert.ok(statSync(join(into, dir)).isDirectory());
    assert.deepEqual(readdirSync(join(into, dir)), [], `/${dir} is copied empty, not the reader's kernel view`);
  }
  const fresh = join(host, 'new-root');
  e.ok('cp', 'cproot:/', fresh);
  assert.equal(readFileSync(join(fresh, 'marker'), 'utf8'), 'root-level\n', 'a new DIR becomes a copy of /');
  assert.match(piped(['cp', 'cproot:/', '-'], 'tar -t'), /^marker$/m);
  e.ok('stop', '-t', '0', 'cproot');
  const stopped = join(host, 'stopped-root');
  e.ok('cp', 'cproot:/', stopped);
  assert.equal(readFileSync(join(stopped, 'marker'), 'utf8'), 'root-level\n', 'and of a stopped container');
  assert.deepEqual(rootMounts(), []);
});

test('cp never follows a symlink in the container out onto the host', async (t) => {
  const marker = `vessel-cp-${process.pid}`;
  const secretDir = join(host, 'secret');
  mkdirSync(secretDir);
  writeFileSync(join(secretDir, 'key'), 'host secret\n');
  const passwd = readFileSync('/etc/passwd', 'utf8');
  e.ok('run', '-d', ...NONE, '--name', 'evil', 'busybox', 'sh', '-c',
    `ln -s /etc /evil; ln -s ../../../../../../${secretDir.slice(1)} /steal; ln -s /etc/passwd /pw; ln -s ../etc/passwd /pw2; sleep 1000`);
  t.after(() => {
    e.vessel('rm', '-f', 'evil');
    rmSync(`/etc/${marker}`, { force: true });
  });
  assert.ok(await until(() => e.vessel('exec', 'evil', 'test', '-L', '/pw').status === 0));

  writeFileSync(join(host, marker), 'payload\n');
  e.ok('cp', join(host, marker), 'evil:/evil/');
  assert.ok(!existsSync(`/etc/${marker}`), 'nothing was written to the host /etc');
  assert.equal(e.ok('exec', 'evil', 'cat', `/etc/${marker}`), 'payload\n', "it went to the container's /etc");

  e.ok('cp', join(host, marker), 'evil:/pw');
  assert.equal(readFileSync('/etc/passwd', 'utf8'), passwd, 'the host /etc/passwd is untouched');

  const tarDir = join(host, 'tarsrc');
  mkdirSync(join(tarDir, 'evil'), { recursive: true });
  writeFileSync(join(tarDir, 'evil', marker), 'via tar\n');
  const tar = spawnSync('tar', ['-cf', '-', '-C', tarDir, `evil/${marker}`]).stdout;
  const viaTar = spawnSync(process.execPath, [CLI, '--root', e.root, 'cp', '-', 'evil:/'], { input: tar, encoding: 'utf8' });
  assert.equal(viaTar.status, 0, viaTar.stderr);
  assert.ok(!existsSync(`/etc/${marker}`), 'a tar entry through the symlink stays in the container');
  const dotdot = spawnSync('tar', ['-cf', '-', '-P', `/../..${tarDir}/evil/${marker}`]).stdout;
  const escaping = spawnSync(process.execPath, [CLI, '--root', e.root, 'cp', '-', 'evil:/'], { input: dotdot, encoding: 'utf8' });
  assert.equal(escaping.status, 1, 'a ".." entry is refused');

  const stolen = e.vessel('cp', 'evil:/steal/key', join(host, 'stolen'));
  assert.notEqual(stolen.status, 0, "the host's file is not reachable through the container's symlink");
  assert.ok(!existsSync(join(host, 'stolen')));
  e.ok('cp', 'evil:/evil/passwd', join(host, 'their-passwd'));
  assert.notEqual(readFileSync(join(host, 'their-passwd'), 'utf8'), passwd, "reading through /evil gives the container's /etc/passwd");
  e.ok('cp', '-L', 'evil:/pw2', join(host, 'followed'));
  assert.equal(readFileSync(join(host, 'followed'), 'utf8'), readFileSync(join(host, 'their-passwd'), 'utf8'), '-L follows the link inside the container');
  assert.notEqual(e.vessel('cp', '-L', 'evil:/steal', join(host, 'stolen-dir')).status, 0);
  assert.ok(!existsSync(join(host, 'stolen-dir')));
});

test('--init runs vessel-init as PID 1 and passes the exit status through', () => {
  assert.match(e.ok('run', '--rm', ...NONE, '--init', 'busybox', 'cat', '/proc/1/cmdline'), /^\/sbin\/docker-init\0--\0cat\0/);
  assert.equal(e.ok('run', '--rm', ...NONE, '--init', 'busybox', 'sh', '-c', 'echo $$'), '2\n', 'the command is its child');
  assert.equal(e.vessel('run', '--rm', ...NONE, '--init', 'busybox', 'sh', '-c', 'exit 7').status, 7);
  assert.equal(e.vessel('run', '--rm', ...NONE, '--init', 'busybox', 'sh', '-c', 'kill -9 $$').status, 137);
});

test('--init forwards signals to the command and stop ends a shell without a TERM handler promptly', async (t) => {
  e.ok('run', '-d', ...NONE, '--init', '--name', 'fwd', 'busybox', 'sh', '-c', 'trap "echo got-usr1" USR1; echo ready; while :; do sleep 0.1; done');
  t.after(() => e.vessel('rm', '-f', 'fwd'));
  assert.ok(await until(() => e.ok('logs', 'fwd').includes('ready')));
  e.ok('kill', '-s', 'USR1', 'fwd');
  assert.ok(await until(() => e.ok('logs', 'fwd').includes('got-usr1')), 'SIGUSR1 reached the shell');

  // as PID 1 this shell would ignore SIGTERM; behind the init it is a normal process and dies of it
  const started = Date.now();
  e.ok('stop', '-t', '20', 'fwd');
  assert.ok(Date.now() - started < 8000, `stop took ${Date.now() - started} ms`);
  assert.equal(e.ok('inspect', '--format', '{{.State.ExitCode}}', 'fwd').trim(), '143');
  assert.equal(e.ok('diff', 'fwd'), '', "the init's and /etc's mount stand-ins are not changes");
});

test('--init reaps orphaned zombies', async (t) => {
  // the inner sleep 1000 never waits for its child: once it is killed, the zombie is re-parented to PID 1
  e.ok('run', '-d', ...NONE, '--init', '--name', 'reaper', 'busybox', 'sh', '-c', 'sh -c "sleep 0.1 & exec sleep 1000" & sleep 1000');
  t.after(() => e.vessel('rm', '-f', 'reaper'));
  const zombies = () => e.ok('exec', 'reaper', 'ps', '-o', 'pid,ppid,stat,args').split('\n').filter((l) => /\sZ\s/.test(` ${l} `));
  assert.ok(await until(() => zombies().length === 1), 'a zombie under the non-waiting parent');
  const [zombie, parent] = zombies()[0]!.trim().split(/\s+/);
  e.ok('exec', 'reaper', 'kill', '-9', parent!);
  // the killed parent is a zombie of the shell now; the orphan must be gone
  assert.ok(await until(() => !zombies().some((l) => l.trim().split(/\s+/)[0] === zombie)), 'PID 1 reaped the orphaned zombie');
  assert.equal(e.ok('inspect', '--format', '{{.State.Status}}', 'reaper').trim(), 'running');
});
