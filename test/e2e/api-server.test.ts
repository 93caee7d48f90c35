// `vessel serve`: the docker CLI 28 client talks to it through a unix socket; docker's version
// negotiation and error answers; the socket's mode and group; TLS; idle exit, SIGTERM and systemd
// socket activation.
import assert from 'node:assert/strict';
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, statSync, writeFileSync } from 'node:fs';
import { Agent, request } from 'node:http';
import { createServer } from 'node:net';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { CLI, engineRoot, type EngineRoot } from './engine-fixture.js';
import { exited, startServer, waitFor, type ApiServerProcess } from '../fixtures/api-server.js';

function get(socket: string, path: string, method = 'GET'): Promise<{ status: number; headers: Record<string, string | string[] | undefined>; body: string }> {
  return new Promise((resolve, reject) => {
    const req = request({ socketPath: socket, path, method }, (res) => {
      let body = '';
      res.on('data', (d: Buffer) => (body += d.toString()));
      res.on('end', () => resolve({ status: res.statusCode!, headers: res.headers, body }));
    });
    req.on('error', reject);
    req.end();
  });
}

function freePort(): Promise<number> {
  return new Promise((resolve) => {
    const s = createServer().listen(0, '127.0.0.1', () => {
      const port = (s.address() as { port: number }).port;
      s.close(() => resolve(port));
    });
  });
}

// the docker CLI 28 client ships with this machine image; without it there is no client to drive the server
const noDocker = spawnSync('docker', ['--version']).status !== 0 ? 'needs the docker CLI on the PATH (Debian: docker.io)' : false;

describe('vessel serve', { skip: noDocker }, () => {
  let e: EngineRoot;
  let server: ApiServerProcess;
  before(async () => {
    e = engineRoot();
    server = await startServer(e.root, ['--group', 'daemon']);
  });
  after(async () => {
    await server?.stop();
    e?.cleanup();
  });

  it('answers the docker CLI: version negotiation, version and info', () => {
    const v = server.docker('version', '--format', '{{json .}}');
    assert.equal(v.status, 0, v.stderr);
    const version = JSON.parse(v.stdout) as { Client: { ApiVersion: string }; Server: { Platform: { Name: string }; ApiVersion: string; MinAPIVersion: string } };
    assert.equal(version.Server.Platform.Name, 'vessel');
    assert.equal(version.Server.ApiVersion, '1.50');
    assert.equal(version.Server.MinAPIVersion, '1.24');
    // the client negotiated down to (or stayed at) the server's newest version
    assert.equal(version.Client.ApiVersion, '1.50');
    const i = server.docker('info', '--format', '{{.Images}} {{.OSType}} {{.DockerRootDir}}');
    assert.equal(i.status, 0, i.stderr);
    assert.equal(i.stdout.trim(), `1 linux ${e.root}`);
  });

  it('answers /_ping to GET and HEAD with the negotiation headers', async () => {
    for (const method of ['GET', 'HEAD']) {
      const r = await get(server.socket, '/_ping', method);
      assert.equal(r.status, 200);
      assert.equal(r.body, method === 'GET' ? 'OK' : '');
      assert.equal(r.headers['api-version'], '1.50');
      assert.equal(r.headers['ostype'], 'linux');
      assert.equal(r.headers['docker-experimental'], 'false');
      assert.equal(r.headers['builder-version'], '1');
    }
  });

  it('refuses versions outside 1.24..1.50 and unknown paths as docker does', async () => {
    const tooNew = await get(server.socket, '/v1.51/info');
    assert.equal(tooNew.status, 400);
    assert.deepEqual(JSON.parse(tooNew.body), { message: 'client version 1.51 is too new. Maximum supported API version is 1.50' });
    const tooOld = await get(server.socket, '/v1.23/info');
    assert.equal(tooOld.status, 400);
    assert.match(JSON.parse(tooOld.body).message, /^client version 1\.23 is too old\. Minimum supported API version is 1\.24/);
    const ok = await get(server.socket, '/v1.24/version');
    assert.equal(ok.status, 200);
    const missing = await get(server.socket, '/v1.43/no/such/endpoint');
    assert.equal(missing.status, 404);
    assert.deepEqual(JSON.parse(missing.body), { message: 'page not found' });
    const wrongMethod = await get(server.socket, '/version', 'DELETE');
    assert.equal(wrongMethod.status, 400);
  });

  it('makes the socket 0660 root:GROUP and refuses a second server on it', async () => {
    const st = statSync(server.socket);
    assert.equal(st.mode & 0o777, 0o660);
    assert.equal(st.uid, 0);
    assert.equal(st.gid, 1, 'daemon is gid 1 on Debian');
    const second = spawnSync(process.execPath, [CLI, '--root', e.root, 'serve', '-H', server.host], { encoding: 'utf8', timeout: 10_000 });
    assert.notEqual(second.status, 0);
    assert.match(second.stderr, /another server is answering there/);
    assert.ok(existsSync(server.socket), 'the refused server left the running one its socket');
    assert.equal((await get(server.socket, '/_ping')).status, 200);
  });
});

describe('vessel serve listeners and lifetime', { skip: noDocker }, () => {
  let e: EngineRoot;
  before(() => {
    e = engineRoot();
  });
  after(() => e?.cleanup());

  it('replaces a stale socket file, and removes its socket when stopped by SIGTERM', async () => {
    // what a kill -9'd server leaves: a socket file nobody listens on
    const socket = join(e.root, 'api.sock');
    const made = spawnSync('python3', ['-c', `import socket; socket.socket(socket.AF_UNIX).bind(${JSON.stringify(socket)})`]);
    assert.equal(made.status, 0);
    assert.ok(statSync(socket).isSocket());
    const s = await startServer(e.root);
    try {
      assert.equal((await get(s.socket, '/_ping')).status, 200);
    } finally {
      assert.equal(await s.stop(), 0);
    }
    assert.equal(existsSync(s.socket), false);
  });

  it('stops on SIGTERM while a client holds a keep-alive connection', async () => {
    const s = await startServer(e.root);
    const agent = new Agent({ keepAlive: true });
    after(() => void s.stop());
    const status = await new Promise<number>((resolve, reject) => {
      const req = request({ socketPath: s.socket, path: '/_ping', agent }, (res) => {
        res.resume();
        res.on('end', () => resolve(res.statusCode!));
      });
      req.on('error', reject);
      req.end();
    });
    assert.equal(status, 200);
    const started = Date.now();
    assert.equal(await s.stop(), 0);
    assert.ok(Date.now() - started < 3000, `took ${Date.now() - started} ms to stop`);
    agent.destroy();
  });

  it('exits by itself after --timeout seconds without requests', async () => {
    const s = await startServer(e.root, ['--timeout', '1']);
    after(() => void s.stop());
    const started = Date.now();
    assert.equal((await get(s.socket, '/_ping')).status, 200);
    assert.equal(await exited(s.proc), 0);
    const idle = Date.now() - started;
    assert.ok(idle >= 900 && idle < 5000, `exited after ${idle} ms`);
    assert.equal(existsSync(s.socket), false);
    assert.match(s.log(), /idle for 1s/);
  });

  it('refuses plain TCP unless --insecure-tcp is given, and then warns', async () => {
    const port = await freePort();
    const refused = spawnSync(process.execPath, [CLI, '--root', e.root, 'serve', '-H', `tcp://127.0.0.1:${port}`], { encoding: 'utf8', timeout: 10_000 });
    assert.notEqual(refused.status, 0);
    assert.match(refused.stderr, /refusing to listen on tcp:\/\/127\.0\.0\.1:\d+ without TLS/);
    const proc = spawn(process.execPath, [CLI, '--root', e.root, 'serve', '-H', `tcp://127.0.0.1:${port}`, '--insecure-tcp', '--timeout', '30'], { stdio: ['ignore', 'ignore', 'pipe'] });
    let log = '';
    proc.stderr!.on('data', (d: Buffer) => (log += d.toString()));
    try {
      await waitFor(() => /serving the Engine API/.test(log), 'the tcp listener');
      assert.match(log, /warning: listening on tcp:\/\/127\.0\.0\.1:\d+ without TLS/);
      const v = spawnSync('docker', ['-H', `tcp://127.0.0.1:${port}`, 'version', '--format', '{{.Server.Platform.Name}}'], { encoding: 'utf8', timeout: 20_000 });
      assert.equal(v.stdout.trim(), 'vessel', v.stderr);
    } finally {
      proc.kill('SIGTERM');
      await exited(proc);
    }
  });

  it('serves TLS and lets in only clients with a certificate from --tlscacert', async () => {
    const dir = join(e.root, 'tls');
    mkdirSync(dir);
    const ssl = (...args: string[]) => {
      const r = spawnSync('openssl', args, { cwd: dir, encoding: 'utf8' });
      assert.equal(r.status, 0, r.stderr);
    };
    ssl('req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-keyout', 'ca-key.pem', '-out', 'ca.pem', '-days', '1', '-subj', '/CN=vessel test CA');
    for (const [name, ext] of [['server', 'subjectAltName=IP:127.0.0.1\nextendedKeyUsage=serverAuth'], ['client', 'extendedKeyUsage=clientAuth']] as const) {
      writeFileSync(join(dir, `${name}.ext`), `${ext}\n`);
      ssl('req', '-newkey', 'rsa:2048', '-nodes', '-keyout', `${name}-key.pem`, '-out', `${name}.csr`, '-subj', `/CN=${name}`);
      ssl('x509', '-req', '-in', `${name}.csr`, '-CA', 'ca.pem', '-CAkey', 'ca-key.pem', '-CAcreateserial', '-out', `${name}.pem`, '-days', '1', '-extfile', `${name}.ext`);
    }
    // docker reads ca.pem, cert.pem and key.pem from --tlscacert etc. or DOCKER_CERT_PATH
    const port = await freePort();
    const proc = spawn(
      process.execPath,
      [CLI, '--root', e.root, 'serve', '-H', `tcp://127.0.0.1:${port}`, '--tlsverify', '--tlscacert', join(dir, 'ca.pem'), '--tlscert', join(dir, 'server.pem'), '--tlskey', join(dir, 'server-key.pem')],
      { stdio: ['ignore', 'ignore', 'pipe'] },
    );
    let log = '';
    proc.stderr!.on('data', (d: Buffer) => (log += d.toString()));
    try {
      await waitFor(() => /serving the Engine API/.test(log), 'the TLS listener');
      const docker = (...tls: string[]) => spawnSync('docker', ['-H', `tcp://127.0.0.1:${port}`, ...tls, 'version', '--format', '{{.Server.Platform.Name}}'], { encoding: 'utf8', timeout: 20_000, env: { ...process.env, DOCKER_CONFIG: dir } });
      const withCert = docker('--tlsverify', '--tlscacert', join(dir, 'ca.pem'), '--tlscert', join(dir, 'client.pem'), '--tlskey', join(dir, 'client-key.pem'));
      assert.equal(withCert.stdout.trim(), 'vessel', withCert.stderr);
      const withoutCert = docker('--tlsverify', '--tlscacert', join(dir, 'ca.pem'));
      assert.notEqual(withoutCert.status, 0);
      assert.doesNotMatch(withoutCert.stdout, /vessel/);
    } finally {
      proc.kill('SIGTERM');
      await exited(proc);
    }
  });

  it('takes its socket from systemd (LISTEN_FDS) with -H fd://', async () => {
    const socket = join(e.root, 'activated.sock');
    // systemd's part: bind and listen, then exec the service with the socket as fd 3
    const script = [
      'import os, socket, sys',
      's = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)',
      `s.bind(${JSON.stringify(socket)})`,
      's.listen(16)',
      // the socket may already be fd 3, where dup2 is a no-op that keeps its close-on-exec flag
      'os.dup2(s.fileno(), 3)',
      'os.set_inheritable(3, True)',
      'env = dict(os.environ, LISTEN_FDS="1", LISTEN_PID=str(os.getpid()))',
      `os.execve(${JSON.stringify(process.execPath)}, ["node", ${JSON.stringify(CLI)}, "--root", ${JSON.stringify(e.root)}, "serve", "-H", "fd://", "--timeout", "30"], env)`,
    ].join('\n');
    const proc = spawn('python3', ['-c', script], { stdio: ['ignore', 'ignore', 'pipe'] });
    let log = '';
    proc.stderr!.on('data', (d: Buffer) => (log += d.toString()));
    try {
      await waitFor(() => /serving the Engine API/.test(log), 'the activated server');
      const v = spawnSync('docker', ['-H', `unix://${socket}`, 'version', '--format', '{{.Server.Platform.Name}}'], { encoding: 'utf8', timeout: 20_000 });
      assert.equal(v.stdout.trim(), 'vessel', v.stderr);
    } finally {
      proc.kill('SIGTERM');
      await exited(proc);
    }
    // the socket is systemd's: the server leaves the file alone
    assert.ok(existsSync(socket));
  });
});
