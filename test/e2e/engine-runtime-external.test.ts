// `--runtime runc|crun`: containers created by an external OCI runtime under vessel's supervisor,
// end to end through the built CLI as root. Each runtime's tests skip when it cannot run here.
import assert from 'node:assert/strict';
import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { CLI, engineRoot, leftovers, until, type EngineRoot } from './engine-fixture.js';

const NONE = ['--network', 'none'];

function which(program: string): string | undefined {
  try {
    return execFileSync('sh', ['-c', `command -v ${program} || ls /usr/sbin/${program} /usr/bin/${program} 2>/dev/null`], { encoding: 'utf8' }).split('\n')[0] || undefined;
  } catch {
    return undefined;
  }
}

/** crun (1.8 at least) refuses a hybrid cgroup layout whose v2 hierarchy has controllers. */
function crunCgroupProblem(): string | undefined {
  const unified = '/sys/fs/cgroup/unified/cgroup.controllers';
  if (!existsSync(unified)) return undefined;
  const controllers = readFileSync(unified, 'utf8').trim();
  return controllers ? `crun refuses hybrid cgroups with controllers on the v2 mount (here: ${controllers})` : undefined;
}

function skipReason(runtime: string): string | undefined {
  if (!which(runtime)) return `${runtime} is not installed (apt-get install ${runtime})`;
  return runtime === 'crun' ? crunCgroupProblem() : undefined;
}

/** Leftovers once the processes winding down (the supervisor, its cleanup) have had a moment. */
async function settledLeftovers(e: EngineRoot, runtime: string, ids: string[]): Promise<string[]> {
  await until(() => runtimeLeftovers(e, runtime, ids).length === 0, 5000);
  return runtimeLeftovers(e, runtime, ids);
}

/** What the runtime, the cgroups and the mounts still hold of these containers. */
function runtimeLeftovers(e: EngineRoot, runtime: string, ids: string[]): string[] {
  const state = join(e.root, `runtime-${runtime}`);
  const entries = existsSync(state) ? readdirSync(state).filter((n) => ids.includes(n)).map((n) => `${runtime} state ${n}`) : [];
  const unified = ids.filter((id) => existsSync(`/sys/fs/cgroup/unified/vessel/${id}`)).map((id) => `cgroup unified/vessel/${id}`);
  return [...entries, ...unified, ...leftovers(e.root, ids).filter((l) => !l.startsWith('container dir'))];
}

for (const runtime of ['runc', 'crun']) {
  const skip = skipReason(runtime);
  describe(`--runtime ${runtime}`, { skip: skip ?? false }, () => {
    let e: EngineRoot;
    before(() => {
      e = engineRoot();
    });
    after(() => e?.cleanup());

    test('run --rm prints the output and propagates the exit code', async () => {
      const r = e.vessel('run', '--rm', ...NONE, '--runtime', runtime, 'busybox', 'echo', 'hi');
      assert.equal(r.status, 0, r.stderr);
      assert.equal(r.stdout, 'hi\n');
      const failing = e.vessel('run', '--rm', ...NONE, '--runtime', runtime, 'busybox', 'sh', '-c', 'echo err >&2; exit 7');
      assert.equal(failing.status, 7, failing.stderr);
      assert.equal(failing.stderr, 'err\n');
      assert.ok(await until(() => e.ok('ps', '-aq') === ''), 'the --rm containers are removed');
    });

    test('detached: logs, exec, stop, and rm -f leaves nothing', async () => {
      const id = e.ok('run', '-d', ...NONE, '--runtime', runtime, 'busybox', 'sh', '-c', 'echo started; trap "exit 0" TERM; while :; do sleep 0.1; done').trim();
      try {
        assert.ok(existsSync(join(e.root, `runtime-${runtime}`, id)), `${runtime} holds the container's state`);
        assert.ok(await until(() => e.ok('logs', id) === 'started\n'), 'the output reaches the log');
        assert.equal(e.ok('exec', id, 'sh', '-c', 'echo in $(hostname)'), `in ${id.slice(0, 12)}\n`);
        assert.equal(e.vessel('exec', id, 'sh', '-c', 'exit 4').status, 4, 'exec returns the exit code');
        // exec -t: the runtime makes the pty and relays it over the CLI's own terminal (script's)
        const inner = `${process.execPath} ${CLI} --root ${e.root} exec -t ${id} sh -c 'tty; exit 5'`;
        const tty = spawnSync('script', ['-qec', inner, '/dev/null'], { input: '', encoding: 'utf8', timeout: 30_000 });
        assert.equal(tty.status, 5, tty.stdout + tty.stderr);
        assert.match(tty.stdout, /\/dev\/pts\/\d+\r?\n/);
        const inspect = JSON.parse(e.ok('inspect', id))[0];
        assert.equal(inspect.HostConfig.Runtime, runtime);
        assert.equal(inspect.State.Status, 'running');
        e.ok('stop', '-t', '5', id);
        const stopped = JSON.parse(e.ok('inspect', id))[0];
        assert.equal(stopped.State.Status, 'exited');
        assert.equal(stopped.State.ExitCode, 0, 'the TERM trap ran: the stop signal reached the process');
        assert.deepEqual(await settledLeftovers(e, runtime, [id]), [], 'a stopped container holds no kernel object');
        // started again, then removed while running
        e.ok('start', id);
        assert.equal(JSON.parse(e.ok('inspect', id))[0].State.Status, 'running');
      } finally {
        e.vessel('rm', '-f', id);
      }
      assert.deepEqual(await settledLeftovers(e, runtime, [id]), []);
      assert.equal(e.ok('ps', '-aq'), '');
    });
  });
}

describe('--runtime runc: pause, top, terminals and failures', { skip: skipReason('runc') ?? false }, () => {
  let e: EngineRoot;
  before(() => {
    e = engineRoot();
  });
  after(() => e?.cleanup());

  test('pause and unpause freeze the container; top lists its processes', async () => {
    const id = e.ok('run', '-d', ...NONE, '--runtime', 'runc', 'busybox', 'sleep', '300').trim();
    try {
      const top = e.ok('top', id);
      assert.match(top, /sleep 300/);
      e.ok('pause', id);
      assert.equal(JSON.parse(e.ok('inspect', id))[0].State.Status, 'paused');
      assert.equal(readFileSync(`/sys/fs/cgroup/freezer/vessel/${id}/freezer.state`, 'utf8').trim(), 'FROZEN');
      e.ok('unpause', id);
      assert.equal(JSON.parse(e.ok('inspect', id))[0].State.Status, 'running');
      assert.equal(readFileSync(`/sys/fs/cgroup/freezer/vessel/${id}/freezer.state`, 'utf8').trim(), 'THAWED');
      assert.match(e.ok('stats', '--no-stream', '--format', '{{.PIDs}}', id), /^1\n$/, 'stats read the cgroup runc made');
    } finally {
      e.vessel('rm', '-f', id);
    }
    assert.deepEqual(await settledLeftovers(e, 'runc', [id]), []);
  });

  test('a terminal comes through runc\'s console socket', async () => {
    const id = e.ok('run', '-d', '-t', ...NONE, '--runtime', 'runc', 'busybox', 'sh', '-c', 'tty; exit 3').trim();
    try {
      assert.ok(await until(() => e.ok('ps', '-aq', '--filter', 'status=exited').includes(id.slice(0, 12))));
      assert.match(e.ok('logs', id), /^\/dev\/pts\/\d+\r\n/);
      assert.equal(JSON.parse(e.ok('inspect', id))[0].State.ExitCode, 3);
    } finally {
      e.vessel('rm', '-f', id);
    }
  });

  test('kill -9 of the supervisor, then of the container: ps shows the truth; rm -f leaves no trace', async () => {
    const id = e.ok('run', '-d', ...NONE, '--runtime', 'runc', 'busybox', 'sleep', '300').trim();
    try {
      const pid = Number(e.ok('inspect', '-f', '{{.State.Pid}}', id).trim());
      const supervisor = Number(readFileSync(join(e.root, 'containers', id, 'supervisor.pid'), 'utf8'));
      assert.equal(Number(readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]!.split(' ')[1]), supervisor, 'the supervisor is the init\'s parent');
      process.kill(supervisor, 'SIGKILL');
      assert.ok(await until(() => !existsSync(`/proc/${supervisor}`) || readFileSync(`/proc/${supervisor}/stat`, 'utf8').includes(') Z')));
      assert.equal(JSON.parse(e.ok('inspect', id))[0].State.Status, 'running', 'the container outlives its supervisor');
      process.kill(pid, 'SIGKILL');
      assert.ok(await until(() => JSON.parse(e.ok('inspect', id))[0].State.Status === 'exited'));
    } finally {
      e.vessel('rm', '-f', id);
    }
    assert.deepEqual(await settledLeftovers(e, 'runc', [id]), []);
  });

  test('a restart policy starts the container again under runc', async () => {
    const id = e.ok('run', '-d', ...NONE, '--runtime', 'runc', '--restart', 'on-failure:2', 'busybox', 'sh', '-c', 'echo run; exit 1').trim();
    try {
      assert.ok(await until(() => JSON.parse(e.ok('inspect', id))[0].RestartCount === 2 && JSON.parse(e.ok('inspect', id))[0].State.Status === 'exited', 15_000));
      assert.equal(e.ok('logs', id), 'run\nrun\nrun\n');
      assert.equal(JSON.parse(e.ok('inspect', id))[0].State.ExitCode, 1);
    } finally {
      e.vessel('rm', '-f', id);
    }
    assert.deepEqual(await settledLeftovers(e, 'runc', [id]), []);
  });

  test('unknown runtimes and failed creates leave nothing behind', () => {
    const unknown = e.vessel('create', ...NONE, '--runtime', 'nosuch', 'busybox');
    assert.equal(unknown.status, 125, 'docker exits 125 when create fails in the engine');
    assert.equal(unknown.stderr, 'Error: unknown or invalid runtime name: nosuch\n');
    assert.equal(e.ok('ps', '-aq'), '');
    const failed = e.vessel('run', '--rm', ...NONE, '--runtime', 'runc', 'busybox', '/no/such/program');
    assert.notEqual(failed.status, 0);
    assert.match(failed.stderr, /runc create .*no such file or directory/);
    assert.equal(e.ok('ps', '-aq'), '');
    const state = join(e.root, 'runtime-runc');
    assert.deepEqual(existsSync(state) ? readdirSync(state) : [], []);
    assert.deepEqual(leftovers(e.root, []), []);
  });
});
