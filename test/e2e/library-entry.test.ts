// The package's public entry (`import { openVessel } from 'vessel'`, the emitted ESM build and its
// declarations) runs containers for another program: create, start, stream logs, a session with
// its own streams, events, and typed errors.
import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { PassThrough } from 'node:stream';
import { after, before, test } from 'node:test';
import { engineRoot, type EngineRoot } from './engine-fixture.js';

type Library = typeof import('../../src/engine/index.js');
let lib: Library;
let e: EngineRoot;

before(async () => {
  assert.ok(existsSync('dist/vessel.mjs') && existsSync('dist/types/engine/index.d.ts'), 'the library build: npm run build');
  // the package's own name resolves through package.json "exports" to the built library
  lib = (await import('vessel' as string)) as Library;
  e = engineRoot();
});
after(() => e?.cleanup());

test('a program runs a container, reads its logs and exit code, and removes it', async () => {
  const vessel = lib.openVessel({ root: e.root });
  try {
    const { Id, Warnings } = await vessel.containers.create({ Image: 'busybox', Cmd: ['sh', '-c', 'echo out; echo err >&2; exit 7'], Labels: { app: 'lib' }, HostConfig: { NetworkMode: 'none' } });
    assert.deepEqual(Warnings, []);
    await vessel.containers.start(Id);
    assert.deepEqual(await vessel.containers.wait(Id), { StatusCode: 7 });
    const lines: string[] = [];
    for await (const entry of vessel.containers.logs(Id)) lines.push(`${entry.stream}:${entry.line}`);
    assert.deepEqual(lines.sort(), ['stderr:err\n', 'stdout:out\n']);
    const info = vessel.containers.inspect(Id);
    assert.equal(info.State?.Status, 'exited');
    assert.equal(info.Config?.Labels?.app, 'lib');
    const [listed] = vessel.containers.list({ all: true, filters: { label: ['app=lib'] } });
    assert.equal(listed?.Id, Id);
    assert.match(listed?.Status ?? '', /^Exited \(7\)/);
    await vessel.containers.remove(Id);
    assert.throws(() => vessel.containers.inspect(Id), (err: unknown) => lib.isVesselError(err) && err.status === 'notFound' && lib.HTTP_STATUS[err.status] === 404);
  } finally {
    vessel.close();
  }
});

test('a foreground session relays output to the streams given, and events are followed', async () => {
  const vessel = lib.openVessel({ root: e.root });
  const seen: string[] = [];
  const ac = new AbortController();
  const following = vessel.events.follow({ filters: ['type=container'] }, (ev) => seen.push(lib.eventMessage(ev).Action ?? ''), ac.signal);
  try {
    const { Id } = await vessel.containers.create({ Image: 'busybox', Cmd: ['sh', '-c', 'read line; echo "got $line"'], OpenStdin: true, StdinOnce: true, HostConfig: { NetworkMode: 'none', AutoRemove: true } });
    const stdout = new PassThrough();
    const stdin = new PassThrough();
    let out = '';
    stdout.on('data', (d: Buffer) => (out += d.toString()));
    const session = await vessel.containers.startAttached(Id, { stdin, stdout, stderr: new PassThrough() }, { autoRemove: true });
    stdin.end('hello\n');
    assert.equal(await session.finish(), 0);
    assert.equal(out, 'got hello\n');
    assert.equal(vessel.containers.list({ all: true }).length, 0, 'AutoRemove removed it');
    for (let i = 0; i < 50 && !seen.includes('destroy'); i++) await new Promise((r) => setTimeout(r, 100));
    for (const action of ['create', 'start', 'die', 'destroy']) assert.ok(seen.includes(action), `${action} in ${seen.join(',')}`);
  } finally {
    ac.abort();
    await following;
    vessel.close();
  }
});

test('a create that fails validation throws a typed error and leaves nothing', async () => {
  const vessel = lib.openVessel({ root: e.root });
  try {
    await assert.rejects(vessel.containers.create({ Image: 'busybox', HostConfig: { NetworkMode: 'none', Memory: 1024 } }), (err: unknown) => lib.isVesselError(err) && err.status === 'invalidParameter' && /Minimum memory limit allowed is 6MB/.test(err.message));
    await assert.rejects(vessel.containers.create({ Image: 'no-such-image:1' }), (err: unknown) => lib.isVesselError(err) && err.status === 'notFound');
    assert.deepEqual(vessel.containers.list({ all: true }), []);
  } finally {
    vessel.close();
  }
});
