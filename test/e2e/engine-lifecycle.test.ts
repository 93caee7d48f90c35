// `vessel run` and the container lifecycle end to end, through the built CLI as root.
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { CLI, engineRoot, leftovers, until, type EngineRoot } from './engine-fixture.js';

let e: EngineRoot;
before(() => {
  e = engineRoot();
});
after(() => e.cleanup());

const NONE = ['--network', 'none'];

test('run --rm prints the output and returns the exit code, leaving nothing behind', async () => {
  const r = e.vessel('run', '--rm', ...NONE, 'busybox', 'echo', 'hello');
  assert.equal(r.status, 0, r.stderr);
  assert.equal(r.stdout, 'hello\n');
  const failing = e.vessel('run', '--rm', ...NONE, 'busybox', 'sh', '-c', 'echo err >&2; exit 3');
  assert.equal(failing.status, 3);
  assert.equal(failing.stderr, 'err\n');
  assert.ok(await until(() => e.ok('ps', '-aq') === ''), 'the --rm containers are removed');
});

test('env, workdir, user and entrypoint follow docker precedence', () => {
  const envFile = join(e.root, 'env.list');
  writeFileSync(envFile, '# comment\nFROM_FILE=1\nBOTH=file\n');
  const out = e.ok('run', '--rm', ...NONE, '--env-file', envFile, '-e', 'BOTH=flag', '-e', 'PATH=/bin', '-w', '/work', '-u', 'nobody', 'busybox', 'sh', '-c', 'echo $FROM_FILE $BOTH $PATH $(pwd) $(id -u) $HOSTNAME');
  const [fromFile, both, path, cwd, uid, hostname] = out.trim().split(' ');
  assert.deepEqual([fromFile, both, path, cwd, uid], ['1', 'flag', '/bin', '/work', '65534']);
  assert.equal(hostname!.length, 12);
  // --entrypoint drops the image's Cmd; the arguments follow it
  assert.equal(e.ok('run', '--rm', ...NONE, '--entrypoint', 'echo', 'busybox', 'a', 'b'), 'a b\n');
  const inspect = JSON.parse(e.ok('create', ...NONE, '--name', 'cfg', '-l', 'k=v', 'busybox').trim() && e.ok('inspect', 'cfg'))[0];
  assert.deepEqual(inspect.Config.Cmd, ['sh'], 'the image Cmd applies without a command');
  assert.equal(inspect.Config.Labels.k, 'v');
  assert.equal(inspect.State.Status, 'created');
  e.ok('rm', 'cfg');
});

test('named volumes persist across containers; bind mounts see host changes', () => {
  e.ok('run', '--rm', ...NONE, '-v', 'data:/data', 'busybox', 'sh', '-c', 'echo kept > /data/f');
  assert.equal(e.ok('run', '--rm', ...NONE, '-v', 'data:/data:ro', 'busybox', 'cat', '/data/f'), 'kept\n');
  assert.notEqual(e.vessel('run', '--rm', ...NONE, '-v', 'data:/data:ro', 'busybox', 'touch', '/data/g').status, 0, 'ro is enforced');
  const host = mkdtempSync(join(tmpdir(), 'vessel-bind-'));
  try {
    e.ok('run', '-d', ...NONE, '--name', 'binder', '-v', `${host}:/h`, 'busybox', 'sleep', '60');
    writeFileSync(join(host, 'late'), 'from host\n');
    assert.equal(e.ok('exec', 'binder', 'cat', '/h/late'), 'from host\n');
    e.ok('rm', '-f', 'binder');
  } finally {
    rmSync(host, { recursive: true, force: true });
  }
});

test('exec sees the container processes, files and environment', () => {
  e.ok('run', '-d', ...NONE, '--name', 'ex', '-e', 'X=1', 'busybox', 'sh', '-c', 'echo file > /tmp/f; sleep 60');
  try {
    assert.match(e.ok('exec', 'ex', 'ps'), /1 root\s+sleep 60|sh -c echo file/);
    assert.equal(e.ok('exec', '-e', 'Y=2', 'ex', 'sh', '-c', 'cat /tmp/f; echo $X$Y'), 'file\n12\n');
    assert.equal(e.vessel('exec', 'ex', 'sh', '-c', 'exit 4').status, 4);
  } finally {
    e.ok('rm', '-f', 'ex');
  }
});

test('logs keep the order the program printed; stop sends the stop signal, then SIGKILL after -t', async () => {
  e.ok('run', '-d', ...NONE, '--name', 'lg', 'busybox', 'sh', '-c', 'for i in 1 2 3 4 5; do echo $i; done; trap "" TERM; sleep 60');
  assert.ok(await until(() => e.ok('logs', 'lg') === '1\n2\n3\n4\n5\n'));
  assert.equal(e.ok('logs', '--tail', '2', 'lg'), '4\n5\n');
  const started = Date.now();
  e.ok('stop', '-t', '1', 'lg');
  const took = Date.now() - started;
  assert.ok(took >= 1000 && took < 8000, `stop took ${took}ms`);
  const state = JSON.parse(e.ok('inspect', 'lg'))[0].State;
  assert.equal(state.Status, 'exited');
  assert.equal(state.ExitCode, 137);
  e.ok('rm', 'lg');
});

test('memory limit: an OOM kill is recorded as OOMKilled with exit code 137', async () => {
  e.ok('run', '-d', ...NONE, '--name', 'oom', '-m', '16m', '--memory-swap', '16m', 'busybox', 'sh', '-c', 'x=a; while true; do x=$x$x; done');
  assert.ok(await until(() => JSON.parse(e.ok('inspect', 'oom'))[0].State.Status === 'exited', 20_000));
  const state = JSON.parse(e.ok('inspect', 'oom'))[0].State;
  assert.equal(state.ExitCode, 137);
  assert.equal(state.OOMKilled, true);
  e.ok('rm', 'oom');
});

test('restart on-failure:2 restarts twice; --rm removes a detached container after it exits', async () => {
  const id = e.ok('run', '-d', ...NONE, '--restart', 'on-failure:2', 'busybox', 'sh', '-c', 'exit 1').trim();
  assert.ok(await until(() => {
    const s = JSON.parse(e.ok('inspect', id))[0];
    return s.RestartCount === 2 && s.State.Status === 'exited';
  }, 20_000));
  e.ok('rm', id);
  const gone = e.ok('run', '-d', '--rm', ...NONE, 'busybox', 'true').trim();
  assert.ok(await until(() => e.vessel('inspect', gone).status !== 0));
  assert.deepEqual(leftovers(e.root, [id, gone]), []);
});

test('50 concurrent run -d all succeed with distinct names and ids', async () => {
  const runs = await Promise.all(
    Array.from({ length: 50 }, () =>
      new Promise<{ code: number | null; out: string; err: string }>((resolve) => {
        const p = spawn(process.execPath, [CLI, '--root', e.root, 'run', '-d', ...NONE, 'busybox', 'sleep', '30']);
        let out = '';
        let err = '';
        p.stdout.on('data', (d) => (out += d));
        p.stderr.on('data', (d) => (err += d));
        p.on('close', (code) => resolve({ code, out, err }));
      }),
    ),
  );
  for (const r of runs) assert.equal(r.code, 0, r.err);
  const ids = new Set(runs.map((r) => r.out.trim()));
  assert.equal(ids.size, 50);
  const names = new Set(e.ok('ps', '--format', '{{.Names}}').trim().split('\n'));
  assert.equal(names.size, 50);
  e.ok('rm', '-f', ...ids);
  assert.ok(await until(() => leftovers(e.root, [...ids]).length === 0), leftovers(e.root, [...ids]).join('\n'));
});

test('kill -9 of the supervisor, then of the container: ps shows the truth; rm -f then leaves no trace', async () => {
  const id = e.ok('run', '-d', ...NONE, 'busybox', 'sleep', '60').trim();
  const supervisor = Number(readFileSync(join(e.root, 'containers', id, 'supervisor.pid'), 'utf8'));
  const init = JSON.parse(e.ok('inspect', id))[0].State.Pid;
  process.kill(supervisor, 'SIGKILL');
  assert.ok(await until(() => e.ok('ps', '--format', '{{.ID}} {{.State}}').includes(`${id.slice(0, 12)} running`)), 'the container outlives its supervisor');
  process.kill(init, 'SIGKILL');
  assert.ok(await until(() => e.ok('ps', '-a', '--format', '{{.ID}} {{.State}}').includes(`${id.slice(0, 12)} exited`)));
  e.ok('rm', '-f', id);
  assert.ok(await until(() => leftovers(e.root, [id]).length === 0), leftovers(e.root, [id]).join('\n'));
});

test('kill -9 of a foreground run --rm: the cleanup it would have done falls back to the supervisor', async () => {
  // the foreground CLI records the exit and removes the container itself; its supervisor waits on
  // a pipe from it and takes over only when the CLI is gone without saying it is done
  const p = spawn(process.execPath, [CLI, '--root', e.root, 'run', '--rm', ...NONE, '--name', 'orphan', 'busybox', 'sleep', '2'], { stdio: 'ignore' });
  assert.ok(await until(() => e.vessel('inspect', '-f', '{{.State.Status}}', 'orphan').stdout.trim() === 'running'));
  const id = e.ok('inspect', '-f', '{{.Id}}', 'orphan').trim();
  p.kill('SIGKILL');
  assert.ok(await until(() => e.vessel('inspect', 'orphan').status !== 0, 10_000), 'the supervisor removed the --rm container');
  assert.ok(await until(() => leftovers(e.root, [id]).length === 0), leftovers(e.root, [id]).join('\n'));
});

test('kill -9 of the CLI in the middle of a foreground run: rm -f cleans everything', async () => {
  const p = spawn(process.execPath, [CLI, '--root', e.root, 'run', ...NONE, '--name', 'victim', 'busybox', 'sleep', '60'], { stdio: 'ignore' });
  assert.ok(await until(() => e.vessel('inspect', '-f', '{{.State.Status}}', 'victim').stdout.trim() === 'running'));
  p.kill('SIGKILL');
  const id = e.ok('inspect', '-f', '{{.Id}}', 'victim').trim();
  e.ok('rm', '-f', 'victim');
  // the supervisor's own cleanup may still be finishing
  assert.ok(await until(() => leftovers(e.root, [id]).length === 0), leftovers(e.root, [id]).join('\n'));
});
