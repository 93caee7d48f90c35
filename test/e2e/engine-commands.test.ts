// The docker-compatible commands beyond run/ps/rm, end to end through the built CLI as root:
// restart, pause, rename, port, top, stats, attach, prunes, volumes, system df/prune/reset, info,
// version, events.
import assert from 'node:assert/strict';
import { execFileSync, spawn } from 'node:child_process';
import { existsSync, readdirSync } from 'node:fs';
import { after, before, test } from 'node:test';
import { join } from 'node:path';
import { defaultBridgeName } from '../../src/network/index.js';
import { CLI, engineRoot, leftovers, until, type EngineRoot } from './engine-fixture.js';

let e: EngineRoot;
before(() => {
  e = engineRoot();
});
after(() => e.cleanup());

const NONE = ['--network', 'none'];
const inspect = (ref: string) => JSON.parse(e.ok('inspect', ref))[0];

test('pause, unpause, restart -t and rename', async () => {
  e.ok('run', '-d', ...NONE, '--name', 'life', 'busybox', 'sleep', '60');
  assert.equal(e.ok('pause', 'life'), 'life\n');
  assert.equal(inspect('life').State.Status, 'paused');
  assert.equal(inspect('life').State.Paused, true);
  assert.notEqual(e.vessel('pause', 'life').status, 0, 'a paused container cannot be paused again');
  e.ok('unpause', 'life');
  assert.equal(inspect('life').State.Status, 'running');
  assert.notEqual(e.vessel('unpause', 'life').status, 0, 'a running container is not paused');

  const before = inspect('life').State;
  const started = Date.now();
  e.ok('restart', '-t', '1', 'life');
  const took = Date.now() - started;
  const after = inspect('life').State;
  // sleep as PID 1 ignores SIGTERM: the restart waited -t 1 then killed it
  assert.ok(took >= 1000 && took < 8000, `restart took ${took}ms`);
  assert.equal(after.Status, 'running');
  assert.notEqual(after.Pid, before.Pid);
  assert.notEqual(after.StartedAt, before.StartedAt);

  e.ok('rename', 'life', 'renamed');
  assert.equal(inspect('renamed').Name, '/renamed');
  assert.notEqual(e.vessel('inspect', 'life').status, 0, 'the old name is gone');
  e.ok('run', '-d', ...NONE, '--name', 'other', 'busybox', 'true');
  assert.match(e.vessel('rename', 'renamed', 'other').stderr, /already in use/);
  e.ok('rm', '-f', 'renamed', 'other');
});

test('port lists the published ports; top shows the container processes', () => {
  const hostPort = 20000 + Math.floor(Math.random() * 20000);
  e.ok('run', '-d', '--name', 'web', '-p', `127.0.0.1:${hostPort}:80`, '-p', `${hostPort + 1}:81/udp`, 'busybox', 'sleep', '60');
  try {
    assert.equal(e.ok('port', 'web'), `80/tcp -> 127.0.0.1:${hostPort}\n81/udp -> 0.0.0.0:${hostPort + 1}\n`);
    assert.equal(e.ok('port', 'web', '80'), `127.0.0.1:${hostPort}\n`);
    assert.equal(e.ok('port', 'web', '81/udp'), `0.0.0.0:${hostPort + 1}\n`);
    assert.match(e.vessel('port', 'web', '82').stderr, /No public port '82\/tcp'/);

    const pid = inspect('web').State.Pid;
    const top = e.ok('top', 'web').trim().split('\n');
    assert.match(top[0]!, /^UID\s+PID\s+PPID/);
    assert.equal(top.length, 2, 'one process: sleep');
    assert.match(top[1]!, new RegExp(`^root\\s+${pid}\\s.*sleep 60$`));
    const custom = e.ok('top', 'web', '-o', 'pid,comm').trim().split('\n');
    assert.deepEqual(custom[0]!.split(/\s+/), ['PID', 'COMMAND']);
    assert.deepEqual(custom[1]!.split(/\s+/), [String(pid), 'sleep']);
  } finally {
    e.ok('rm', '-f', 'web');
  }
  assert.notEqual(e.vessel('top', 'web').status, 0);
});

test('stats: cpu, memory against the limit, network, block I/O and pids; streaming until interrupted', async () => {
  e.ok('run', '-d', ...NONE, '--name', 'busy', '-m', '64m', 'busybox', 'sh', '-c', 'sleep 60 & sleep 60 & while true; do :; done');
  e.ok('run', '-d', '--name', 'net', 'busybox', 'sleep', '60');
  try {
    const table = e.ok('stats', '--no-stream');
    assert.match(table.split('\n')[0]!, /^CONTAINER ID\s+NAME\s+CPU %\s+MEM USAGE \/ LIMIT\s+MEM %\s+NET I\/O\s+BLOCK I\/O\s+PIDS$/);
    const rows = Object.fromEntries(
      e.ok('stats', '--no-stream', '--format', 'json').trim().split('\n').map((l) => JSON.parse(l)).map((r) => [r.Name, r]),
    );
    assert.deepEqual(Object.keys(rows).sort(), ['busy', 'net']);
    const busy = rows.busy;
    assert.ok(parseFloat(busy.CPUPerc) > 20, `a busy loop uses CPU: ${busy.CPUPerc}`);
    assert.match(busy.MemUsage, / \/ 64MiB$/, 'the memory limit is the cgroup limit');
    assert.equal(busy.PIDs, '3');
    assert.equal(busy.NetIO, '0B / 0B', 'no network: only loopback');
    assert.match(busy.BlockIO, /^\S+B \/ \S+B$/);
    const net = rows.net;
    assert.match(net.MemUsage, /GiB$/, 'without a limit the host memory is the limit');
    assert.match(net.NetIO, /^\d+(\.\d+)?[kM]?B \/ \d+(\.\d+)?[kM]?B$/);
    assert.equal(e.ok('stats', '--no-stream', '--format', '{{.Name}}:{{.PIDs}}', 'net'), 'net:1\n');

    // without --no-stream it refreshes every second until interrupted
    const stream = spawn(process.execPath, [CLI, '--root', e.root, 'stats', '--format', '{{.Name}}', 'net']);
    let out = '';
    stream.stdout.on('data', (d) => (out += d));
    const exited = new Promise((r) => stream.once('exit', (c) => r(c)));
    assert.ok(await until(() => out.split('\n').filter((l) => l === 'net').length >= 2, 10_000), out);
    stream.kill('SIGINT');
    assert.equal(await exited, 0);
  } finally {
    e.ok('rm', '-f', 'busy', 'net');
  }
});

test('attach: output, stdin and the exit code of a running container', async () => {
  e.ok('run', '-d', '-i', ...NONE, '--name', 'att', 'busybox', 'sh', '-c', 'read x; echo got $x; echo err >&2; exit 3');
  const r = await new Promise<{ code: number | null; out: string; err: string }>((resolve) => {
    const p = spawn(process.execPath, [CLI, '--root', e.root, 'attach', 'att']);
    let out = '';
    let err = '';
    p.stdout.on('data', (d) => (out += d));
    p.stderr.on('data', (d) => (err += d));
    p.on('close', (code) => resolve({ code, out, err }));
    p.stdin.end('hello\n');
  });
  assert.deepEqual(r, { code: 3, out: 'got hello\n', err: 'err\n' });
  e.ok('run', '-d', ...NONE, '--name', 'att2', 'busybox', 'sh', '-c', 'sleep 1; echo tick; exit 5');
  const noStdin = e.vessel('attach', '--no-stdin', 'att2');
  assert.equal(noStdin.status, 5);
  assert.equal(noStdin.stdout, 'tick\n');
  assert.match(e.vessel('attach', 'att2').stderr, /cannot attach to a stopped container/);
  e.ok('rm', 'att', 'att2');
});

test('container prune removes only stopped containers matching the filter', async () => {
  const drop = e.ok('create', ...NONE, '-l', 'tier=drop', 'busybox', 'true').trim();
  const keep = e.ok('create', ...NONE, '-l', 'tier=keep', 'busybox', 'true').trim();
  e.ok('start', '-a', drop);
  const running = e.ok('run', '-d', ...NONE, '-l', 'tier=drop', 'busybox', 'sleep', '60').trim();
  const out = e.ok('container', 'prune', '-f', '--filter', 'label=tier=drop');
  assert.match(out, new RegExp(`^Deleted Containers:\n${drop}\n\nTotal reclaimed space: `));
  const left = e.ok('ps', '-aq', '--no-trunc').trim().split('\n').sort();
  assert.deepEqual(left, [keep, running].sort());
  assert.match(e.ok('container', 'prune', '-f'), new RegExp(keep));
  assert.deepEqual(e.ok('ps', '-aq', '--no-trunc').trim().split('\n'), [running]);
  e.ok('rm', '-f', running);
  // the supervisor's own cleanup may still be finishing
  assert.ok(await until(() => leftovers(e.root, [drop, keep, running]).length === 0), leftovers(e.root, [drop, keep, running]).join('\n'));
});

test('volume create, ls, inspect, rm and prune', () => {
  assert.equal(e.ok('volume', 'create', '--label', 'app=x', 'named1'), 'named1\n');
  const anon = e.ok('volume', 'create').trim();
  assert.match(anon, /^[0-9a-f]{64}$/);
  assert.equal(e.ok('volume', 'ls', '-q'), [anon, 'named1'].sort().map((n) => `${n}\n`).join(''));
  assert.equal(e.ok('volume', 'ls', '-q', '--filter', 'label=app=x'), 'named1\n');
  assert.match(e.ok('volume', 'ls'), /^DRIVER\s+VOLUME NAME\n/);
  assert.equal(e.ok('volume', 'ls', '--format', '{{.Name}} {{.Driver}} {{.Labels}}', '--filter', 'name=named'), 'named1 local app=x\n');
  const v = JSON.parse(e.ok('volume', 'inspect', 'named1'))[0];
  assert.deepEqual([v.Name, v.Driver, v.Labels, v.Scope], ['named1', 'local', { app: 'x' }, 'local']);
  assert.equal(e.ok('volume', 'inspect', '-f', '{{.Mountpoint}}', 'named1').trim(), v.Mountpoint);
  assert.ok(existsSync(v.Mountpoint));

  e.ok('run', '-d', ...NONE, '--name', 'user', '-v', 'named1:/d', 'busybox', 'sleep', '60');
  assert.match(e.vessel('volume', 'rm', 'named1').stderr, /volume is in use/);
  assert.match(e.vessel('volume', 'rm', '-f', 'named1').stderr, /volume is in use/, 'docker refuses even with -f');
  e.ok('rm', '-f', 'user');
  assert.notEqual(e.vessel('volume', 'rm', 'missing').status, 0);
  assert.equal(e.vessel('volume', 'rm', '-f', 'missing').status, 0, '-f ignores a missing volume');

  // prune: anonymous volumes only, unless -a
  assert.match(e.ok('volume', 'prune', '-f'), new RegExp(`^Deleted Volumes:\n${anon}\n`));
  assert.equal(e.ok('volume', 'ls', '-q'), 'named1\n');
  assert.match(e.ok('volume', 'prune', '-a', '-f'), /Deleted Volumes:\nnamed1\n/);
  assert.equal(e.ok('volume', 'ls', '-q'), '');
  assert.ok(!existsSync(v.Mountpoint));
});

test('info and version', () => {
  e.ok('run', '-d', ...NONE, '--name', 'inf', 'busybox', 'sleep', '60');
  e.ok('create', ...NONE, '--name', 'inf2', 'busybox');
  try {
    const info = JSON.parse(e.ok('info', '--format', 'json'));
    assert.equal(info.Containers, 2);
    assert.equal(info.ContainersRunning, 1);
    assert.equal(info.ContainersStopped, 1);
    assert.equal(info.Images, 1);
    assert.equal(info.Driver, 'overlay');
    assert.equal(info.CgroupVersion, existsSync('/sys/fs/cgroup/cgroup.controllers') ? '2' : '1');
    assert.equal(info.KernelVersion, execFileSync('uname', ['-r'], { encoding: 'utf8' }).trim());
    assert.equal(info.DockerRootDir, e.root);
    assert.equal(e.ok('info', '--format', '{{.NCPU}}').trim(), execFileSync('nproc', { encoding: 'utf8' }).trim());
    const text = e.ok('info');
    assert.match(text, /\n Containers: 2\n  Running: 1\n  Paused: 0\n  Stopped: 1\n Images: 1\n/);
    assert.match(text, /\n Storage Driver: overlay\n/);
  } finally {
    e.ok('rm', '-f', 'inf', 'inf2');
  }
  const v = JSON.parse(e.ok('version', '--format', 'json'));
  assert.equal(v.Client.NodeVersion, process.version);
  assert.equal(v.Server.ApiVersion, 'n/a');
  assert.deepEqual(v.Server.Components.map((c: { Name: string }) => c.Name), ['Engine', 'vessel-runtime', 'node']);
  assert.match(e.ok('version'), /^Client:\n Version: +\d+\.\d+\.\d+\n API version: +n\/a\n/);
});

test('events: a past window prints and exits; without --until new events are followed', async () => {
  const since = new Date().toISOString();
  const id = e.ok('create', ...NONE, '--name', 'ev', 'busybox').trim();
  e.ok('rename', 'ev', 'ev2');
  e.ok('rm', 'ev2');
  const untilArg = (Date.now() / 1000 + 0.001).toFixed(3);
  const text = e.ok('events', '--since', since, '--until', untilArg).trim().split('\n');
  assert.deepEqual(text.map((l) => l.split(' ').slice(1, 3).join(' ')), ['container create', 'container rename', 'container destroy']);
  assert.match(text[0]!, new RegExp(`^\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\d\\.\\d{9}Z container create ${id} \\(image=busybox, name=ev\\)$`));
  const json = e.ok('events', '--since', since, '--until', untilArg, '--filter', 'event=rename', '--format', 'json').trim().split('\n').map((l) => JSON.parse(l));
  assert.equal(json.length, 1);
  assert.deepEqual([json[0].Type, json[0].Action, json[0].Actor.ID, json[0].Actor.Attributes.name], ['container', 'rename', id, 'ev2']);
  assert.equal(e.ok('events', '--since', since, '--until', untilArg, '--filter', 'container=nothing'), '');

  const follower = spawn(process.execPath, [CLI, '--root', e.root, 'events', '--filter', 'type=volume', '--format', '{{.Action}} {{.Actor.ID}}']);
  let out = '';
  follower.stdout.on('data', (d) => (out += d));
  try {
    // give it time to start polling: only events after it started count
    await new Promise((r) => setTimeout(r, 1500));
    e.ok('volume', 'create', 'evvol');
    e.ok('volume', 'rm', 'evvol');
    assert.ok(await until(() => out === 'create evvol\ndestroy evvol\n'), out);
  } finally {
    follower.kill('SIGINT');
  }
  const code = await new Promise((r) => follower.once('exit', (c) => r(c)));
  assert.equal(code, 0, 'SIGINT ends the stream cleanly');
});

test('system df reports images, containers, volumes and build cache; system prune -a --volumes empties them', () => {
  e.ok('run', ...NONE, '--name', 'dfc', '-v', '/anon', 'busybox', 'sh', '-c', 'head -c 200000 /dev/zero > /anon/f; head -c 300000 /dev/zero > /f');
  const keep = e.ok('run', '-d', ...NONE, 'busybox', 'sleep', '60').trim();
  const rows = e.ok('system', 'df', '--format', 'json').trim().split('\n').map((l) => JSON.parse(l));
  assert.deepEqual(rows.map((r) => r.Type), ['Images', 'Containers', 'Local Volumes', 'Build Cache']);
  assert.deepEqual([rows[0].TotalCount, rows[0].Active], ['1', '1']);
  assert.deepEqual([rows[1].TotalCount, rows[1].Active, rows[1].Size], ['2', '1', '300kB']);
  assert.equal(rows[1].Reclaimable, '300kB (100%)', 'the stopped container is reclaimable');
  assert.deepEqual([rows[2].TotalCount, rows[2].Active, rows[2].Size], ['1', '1', '200kB']);
  assert.match(e.ok('system', 'df'), /^TYPE\s+TOTAL\s+ACTIVE\s+SIZE\s+RECLAIMABLE\nImages\s+1\s+1\s+\S+\s+0B \(0%\)\n/);
  assert.match(e.ok('system', 'df', '-v'), /Containers space usage:\n\nCONTAINER ID/);

  // the image is in use by the running container: -a keeps it
  const out = e.ok('system', 'prune', '-a', '--volumes', '-f');
  assert.match(out, /Deleted Containers:\n[0-9a-f]{64}\n\nDeleted Volumes:\n[0-9a-f]{64}\n\nTotal reclaimed space: 500kB\n$/);
  assert.equal(e.ok('ps', '-aq', '--no-trunc').trim(), keep);
  assert.equal(e.ok('volume', 'ls', '-q'), '');
  assert.equal(e.ok('images', '-q').trim().split('\n').length, 1);
  e.ok('rm', '-f', keep);
});

function bridgeRules(bridge: string): string[] {
  return execFileSync('iptables-save', { encoding: 'utf8' }).split('\n').filter((l) => l.startsWith('-A') && l.includes(bridge));
}

test('system reset removes every container, network with its bridge and rules, volume and image, then the state', async () => {
  e.ok('network', 'create', 'resetnet');
  const netId = e.ok('network', 'inspect', '-f', '{{.Id}}', 'resetnet').trim();
  const bridge = `vbr-${netId.slice(0, 11)}`;
  const ids = [
    e.ok('run', '-d', '--network', 'resetnet', '-v', 'rv:/d', 'busybox', 'sleep', '60').trim(),
    e.ok('run', '-d', '-p', '127.0.0.1::80', 'busybox', 'sleep', '60').trim(),
    e.ok('create', ...NONE, 'busybox').trim(),
  ];
  assert.ok(existsSync(`/sys/class/net/${bridge}`));
  assert.ok(bridgeRules(bridge).length > 0);
  const asked = e.vessel('system', 'reset');
  assert.equal(asked.status, 0);
  assert.match(asked.stdout, /Are you sure you want to continue\? \[y\/N\] $/, 'without -f it asks (and stdin has no answer)');
  assert.equal(e.ok('ps', '-aq').trim().split('\n').length, 3, 'nothing removed without confirmation');

  e.ok('system', 'reset', '-f');
  assert.ok(!existsSync(`/sys/class/net/${bridge}`), 'the user network bridge is gone');
  assert.deepEqual(bridgeRules(bridge), []);
  // each engine root has its own default bridge (vessel0 only for /var/lib/vessel)
  const defaultBridge = defaultBridgeName({ name: join(e.root, 'vessel.db') });
  assert.notEqual(defaultBridge, 'vessel0');
  assert.ok(!existsSync(`/sys/class/net/${defaultBridge}`), 'the default bridge is gone');
  assert.deepEqual(bridgeRules(defaultBridge), []);
  assert.deepEqual(readdirSync(e.root), [], 'the state is gone');
  assert.ok(await until(() => leftovers(e.root, ids).length === 0), leftovers(e.root, ids).join('\n'));
  assert.equal(e.ok('ps', '-aq'), '');
  assert.equal(e.ok('images', '-q'), '');
});
