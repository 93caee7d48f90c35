// process.terminal: the pty is created inside the container and its master is sent to
// --console-socket (SCM_RIGHTS), as the runtime spec describes; plus hook timeouts.
import assert from 'node:assert/strict';
import { spawn, spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { RUNTIME_BIN, makeBundle, testSpec, uniqueId, type TestBundle } from '../fixtures/bundle.js';

function consoleServer(path: string, input: string): { ready: Promise<void>; output: Promise<string> } {
  const child = spawn('python3', [resolve('test/fixtures/console-socket.py'), path, input], { stdio: ['ignore', 'pipe', 'pipe'] });
  let out = '';
  let resolveReady!: () => void;
  const ready = new Promise<void>((r) => (resolveReady = r));
  child.stdout.on('data', (d: Buffer) => {
    out += d.toString();
    if (out.startsWith('listening\n')) resolveReady();
  });
  const output = new Promise<string>((r) => child.on('close', () => r(out.replace(/^listening\n/, ''))));
  return { ready, output };
}

describe('runtime terminal and hooks', () => {
  let b: TestBundle;
  before(() => {
    b = makeBundle();
  });
  after(() => b.cleanup());

  it('gives the container a pty from its own devpts and sends the master to the console socket', async () => {
    const id = uniqueId();
    const sock = join(b.dir, 'console.sock');
    b.write(testSpec(['sh', '-c', 'read line; echo "got:$line"; tty; test -t 0 && echo stdin-is-tty'], (s) => (s.process!.terminal = true)));
    const server = consoleServer(sock, 'hello\n');
    await server.ready;
    const c = b.runtime(['create', '--console-socket', sock, '--bundle', b.dir, id]);
    assert.equal(c.status, 0, c.stderr);
    assert.equal(b.runtime(['start', id]).status, 0);
    const out = (await server.output).replace(/\r/g, '');
    assert.match(out, /got:hello/);
    assert.match(out, /^\/dev\/pts\/0$/m, 'the pty belongs to the container\'s own devpts instance');
    assert.match(out, /stdin-is-tty/);
    b.runtime(['delete', '--force', id]);
  });

  it('run in the foreground without --console-socket relays its own terminal', () => {
    const id = uniqueId();
    b.write(testSpec(['sh', '-c', 'tty; read x; echo got-$x; exit 4'], (s) => (s.process!.terminal = true)));
    // util-linux `script` plays the user's terminal
    const r = spawnSync('script', ['-qec', `${process.execPath} ${RUNTIME_BIN} --root ${b.stateRoot} run --bundle ${b.dir} ${id}`, '/dev/null'], {
      input: 'yo\n',
      encoding: 'utf8',
      timeout: 30000,
    });
    const out = r.stdout.replace(/\r/g, '');
    assert.equal(r.status, 4, out + r.stderr);
    assert.match(out, /^\/dev\/pts\/0$/m);
    assert.match(out, /^got-yo$/m);
    assert.equal(b.runtime(['state', id]).status, 1, 'run deleted the container');
  });

  it('fails a create whose prestart hook exceeds its timeout', () => {
    const id = uniqueId();
    b.write(testSpec(['true'], (s) => (s.hooks = { prestart: [{ path: '/bin/sleep', args: ['sleep', '10'], timeout: 1 }] })));
    const t0 = Date.now();
    const r = b.runtime(['create', '--bundle', b.dir, id]);
    assert.equal(r.status, 1);
    assert.match(r.stderr, /timed out after 1s/);
    assert.ok(Date.now() - t0 < 8000);
  });

  it('leaves no mount behind on the host after a container with many mounts', () => {
    const before = readFileSync('/proc/self/mountinfo', 'utf8').split('\n').length;
    const id = uniqueId();
    b.write(testSpec(['true'], (s) => s.mounts!.push({ destination: '/data', type: 'tmpfs', source: 'tmpfs', options: [] })));
    assert.equal(b.runtime(['run', id]).status, 0);
    assert.equal(readFileSync('/proc/self/mountinfo', 'utf8').split('\n').length, before);
  });
});
