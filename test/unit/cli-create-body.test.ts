// `create`/`run` flags become exactly the body docker's own CLI sends to POST /containers/create:
// the docker 28 CLI on this machine is the oracle, talking to a socket in this test that records
// what it is sent (no daemon needed). Then the facade's conversion of that body back to the
// engine's request is checked.
import assert from 'node:assert/strict';
import { spawn, spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { createBody, createFlags } from '../../src/cli/engine/commands/create-flags.js';
import { parseFlags } from '../../src/cli/engine/flags.js';
import { requestFromBody } from '../../src/engine/containers/create-body.js';

const haveDocker = spawnSync('docker', ['--version']).status === 0;
let dir: string;
let server: Server;
let sent: { url: string; body: Record<string, unknown> }[] = [];

before(async () => {
  dir = mkdtempSync(join(tmpdir(), 'vessel-docker-oracle-'));
  server = createServer((req, res) => {
    let text = '';
    req.on('data', (d: Buffer) => (text += d.toString()));
    req.on('end', () => {
      if (req.url?.endsWith('/_ping')) {
        res.writeHead(200, { 'API-Version': '1.50', OSType: 'linux', 'Docker-Experimental': 'false' });
        res.end('OK');
      } else if (req.url?.includes('/containers/create')) {
        sent.push({ url: req.url, body: JSON.parse(text) as Record<string, unknown> });
        res.writeHead(201, { 'Content-Type': 'application/json' });
        res.end('{"Id":"0123456789ab","Warnings":[]}');
      } else {
        res.writeHead(404, { 'Content-Type': 'application/json' });
        res.end('{"message":"not here"}');
      }
    });
  });
  await new Promise<void>((resolve) => server.listen(join(dir, 'docker.sock'), resolve));
});
after(() => {
  server.close();
  rmSync(dir, { recursive: true, force: true });
});

/** The body docker's CLI sends for `docker create ARGS`. */
async function dockerBody(args: string[]): Promise<{ name: string | null; body: Record<string, unknown> }> {
  sent = [];
  const child = spawn('docker', ['-H', `unix://${join(dir, 'docker.sock')}`, 'create', ...args], { stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env, FROM_HOST: 'yes' } });
  let err = '';
  child.stderr.on('data', (d: Buffer) => (err += d.toString()));
  const code = await new Promise<number | null>((resolve) => child.on('exit', resolve));
  assert.equal(code, 0, `docker create ${args.join(' ')}: ${err}`);
  const { url, body } = sent[0]!;
  return { name: new URL(url, 'http://x').searchParams.get('name'), body };
}

/** docker sends null, [] and {} alike for "nothing"; so do we, in our own way. */
function empty(v: unknown): boolean {
  return v === null || v === undefined || (Array.isArray(v) && v.length === 0) || (typeof v === 'object' && !Array.isArray(v) && Object.keys(v as object).length === 0);
}

/** Every field we send has docker's value (where docker's is empty, ours is too). */
function assertSameBody(ours: Record<string, unknown>, docker: Record<string, unknown>, path = ''): void {
  for (const [k, v] of Object.entries(ours)) {
    const d = docker[k];
    if (empty(v) && empty(d)) continue;
    if (v && typeof v === 'object' && !Array.isArray(v) && d && typeof d === 'object' && !Array.isArray(d)) assertSameBody(v as Record<string, unknown>, d as Record<string, unknown>, `${path}${k}.`);
    else assert.deepEqual(v, d, `${path}${k}`);
  }
}

const CASES: string[][] = [
  ['busybox'],
  ['-p', '8080:80', '-p', '127.0.0.1::53/udp', '-p', '9000-9001:9000-9001', '-P', 'busybox', 'echo', 'hi'],
  ['-m', '512m', '--memory-swap', '1g', '--cpus', '1.5', '--cpu-shares', '512', '--cpuset-cpus', '0', '--pids-limit', '50', '--blkio-weight', '300', 'busybox'],
  ['-v', '/data', '-v', '/a:/b:ro', '-v', 'named:/n', '--mount', 'type=tmpfs,target=/t,tmpfs-size=1048576', '--mount', 'type=bind,source=/src,target=/dst,readonly', '--tmpfs', '/run:size=64m', 'busybox'],
  ['--entrypoint', '', '--name', 'n1', '-e', 'A=1', '-e', 'FROM_HOST', '-l', 'k=v', '-l', 'bare', '-w', '/w', '-u', 'nobody', '-h', 'box', 'busybox', 'sh'],
  ['--network', 'mynet', '--ip', '10.0.0.2', '--network-alias', 'web', '--dns', '1.1.1.1', '--dns-search', 'x.test', '--dns-option', 'ndots:2', '--add-host', 'h:10.0.0.9', 'busybox'],
  ['--restart', 'on-failure:3', '--ulimit', 'nofile=10:20', '--sysctl', 'net.ipv4.ip_forward=1', '--cap-add', 'NET_ADMIN', '--cap-drop', 'MKNOD', '--security-opt', 'no-new-privileges', '--read-only', '--privileged', 'busybox'],
  ['-it', '--init', '--rm', '--stop-signal', 'SIGUSR1', '--stop-timeout', '5', '--runtime', 'runc', 'busybox'],
];

test("create flags make docker's own create body", { skip: !haveDocker && 'the docker CLI is not installed' }, async () => {
  for (const args of CASES) {
    const { name, body } = await dockerBody(args);
    const parsed = parseFlags(createFlags, args, { interspersed: false });
    const { name: ours, ...oursBody } = createBody(parsed.flags, parsed.args);
    process.env.FROM_HOST = 'yes';
    assert.equal(ours ?? null, name || null, `name for ${args.join(' ')}`);
    assertSameBody(oursBody as Record<string, unknown>, body);
  }
});

test('the facade turns the body back into the engine request, keeping every option', () => {
  process.env.FROM_HOST = 'yes';
  const parsed = parseFlags(createFlags, ['-p', '127.0.0.1:8080:80/udp', '-p', '9000', '-v', '/data', '-v', '/a:/b:ro', '--entrypoint', '', '--network', 'mynet', '--ip', '10.0.0.2', '--network-alias', 'web', '--restart', 'on-failure:3', '-m', '6m', '--ulimit', 'nofile=10:20', '--mount', 'type=tmpfs,target=/t,tmpfs-size=1048576', 'busybox', 'echo', 'hi'], { interspersed: false });
  const { req, warnings } = requestFromBody(createBody(parsed.flags, parsed.args));
  assert.deepEqual(warnings, []);
  assert.deepEqual(req.publish.sort(), ['127.0.0.1::80/udp'.replace('::', ':8080:'), '9000/tcp'].sort());
  assert.deepEqual(req.volumes, ['/a:/b:ro', '/data']);
  assert.equal(req.entrypoint, '');
  assert.deepEqual(req.cmd, ['echo', 'hi']);
  assert.equal(req.network, 'mynet');
  assert.equal(req.ip, '10.0.0.2');
  assert.deepEqual(req.networkAliases, ['web']);
  assert.equal(req.restart, 'on-failure:3');
  assert.equal(req.memory, String(6 * 1024 * 1024));
  assert.deepEqual(req.ulimits, ['nofile=10:20']);
  assert.deepEqual(req.mounts, ['type=tmpfs,target=/t,tmpfs-size=1048576']);
  assert.deepEqual(req.exposedPorts?.sort(), ['80/udp', '9000/tcp']);
  // docker's CLI sends "default"; the engine records the network it means
  const plain = parseFlags(createFlags, ['busybox'], { interspersed: false });
  assert.equal(requestFromBody(createBody(plain.flags, plain.args)).req.network, 'bridge');
  // options vessel cannot honour yet are reported, not dropped silently
  assert.deepEqual(requestFromBody({ Image: 'busybox', HostConfig: { ShmSize: 1 << 20, Devices: [{ PathOnHost: '/dev/null', PathInContainer: '/dev/x', CgroupPermissions: 'rwm' }] } }).warnings, [
    'HostConfig.Devices is not supported by vessel yet and was ignored',
    'HostConfig.ShmSize is not supported by vessel yet and was ignored',
  ]);
});
