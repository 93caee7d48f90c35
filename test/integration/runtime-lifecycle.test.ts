// The OCI lifecycle through the vessel-runtime CLI, on real namespaces and cgroups.
import assert from 'node:assert/strict';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { spawn } from 'node:child_process';
import { RUNTIME_BIN, cgroupLeft, makeBundle, testSpec, uniqueId, type TestBundle } from '../fixtures/bundle.js';

function stateOf(b: TestBundle, id: string): { status: string; pid: number; id: string; bundle: string; ociVersion: string } {
  const r = b.runtime(['state', id]);
  assert.equal(r.status, 0, r.stderr);
  return JSON.parse(r.stdout);
}

function waitFor(pred: () => boolean, ms = 5000): void {
  const end = Date.now() + ms;
  while (!pred()) {
    if (Date.now() > end) throw new Error('timed out waiting');
    Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, 20);
  }
}

describe('runtime lifecycle', () => {
  let b: TestBundle;
  before(() => {
    b = makeBundle();
  });
  after(() => b.cleanup());

  it('create -> created -> start -> running -> kill -> stopped -> delete', () => {
    const id = uniqueId();
    b.write(testSpec(['sleep', '30']));
    const pidFile = join(b.dir, 'pid');
    const c = b.runtime(['create', '--bundle', b.dir, '--pid-file', pidFile, id]);
    assert.equal(c.status, 0, c.stderr);
    let s = stateOf(b, id);
    assert.equal(s.status, 'created');
    assert.equal(s.id, id);
    assert.equal(s.bundle, b.dir);
    assert.ok(s.pid > 0);
    const pidText = readFileSync(pidFile, 'utf8');
    assert.equal(pidText, String(s.pid), 'pid file holds the number with no newline');
    // In the created state the user program has not run yet: init is still this runtime's image.
    assert.notEqual(readFileSync(`/proc/${s.pid}/cmdline`, 'utf8').split('\0')[0], 'sleep');
    assert.equal(b.runtime(['start', id]).status, 0);
    s = stateOf(b, id);
    assert.equal(s.status, 'running');
    waitFor(() => readFileSync(`/proc/${s.pid}/cmdline`, 'utf8').startsWith('sleep'));
    assert.ok(cgroupLeft(id).length > 0, 'the container has a cgroup while it runs');
    const k = b.runtime(['kill', id, 'KILL']);
    assert.equal(k.status, 0, k.stderr);
    waitFor(() => stateOf(b, id).status === 'stopped');
    assert.equal(stateOf(b, id).pid, 0);
    assert.equal(b.runtime(['delete', id]).status, 0);
    assert.equal(existsSync(join(b.stateRoot, id)), false, 'state dir removed');
    assert.deepEqual(cgroupLeft(id), [], 'cgroup removed');
    const gone = b.runtime(['state', id]);
    assert.equal(gone.status, 1);
    assert.match(gone.stderr, /does not exist/);
  });

  it('run returns the program exit code and its output', () => {
    const id = uniqueId();
    b.write(testSpec(['sh', '-c', 'echo out; echo err >&2; exit 7']));
    const r = b.runtime(['run', id]);
    assert.equal(r.status, 7);
    assert.equal(r.stdout, 'out\n');
    assert.match(r.stderr, /err/);
    assert.equal(existsSync(join(b.stateRoot, id)), false, 'run deletes the container afterwards');
    assert.deepEqual(cgroupLeft(id), []);
  });

  it('reports stopped once the program exits with no monitor running', () => {
    const id = uniqueId();
    b.write(testSpec(['true']));
    assert.equal(b.runtime(['run', '--detach', id]).status, 0);
    waitFor(() => stateOf(b, id).status === 'stopped');
    assert.equal(b.runtime(['delete', id]).status, 0);
  });

  it('rejects bad requests with one clear line and exit 1', () => {
    const id = uniqueId();
    b.write(testSpec(['sleep', '30']));
    const cases: [string[], RegExp][] = [
      [['state', 'nope-missing'], /does not exist/],
      [['start', 'nope-missing'], /does not exist/],
      [['kill', 'nope-missing'], /does not exist/],
      [['delete', 'nope-missing'], /does not exist/],
      [['create', '--bundle', b.dir, '../evil'], /invalid container id/],
    ];
    for (const [args, re] of cases) {
      const r = b.runtime(args);
      assert.equal(r.status, 1, args.join(' '));
      assert.match(r.stderr, re);
      assert.equal(r.stderr.trim().split('\n').length, 1, `one line for ${args.join(' ')}: ${r.stderr}`);
    }
    assert.equal(b.runtime(['run', '-d', id]).status, 0);
    const dup = b.runtime(['create', '--bundle', b.dir, id]);
    assert.equal(dup.status, 1);
    assert.match(dup.stderr, /already exists/);
    const again = b.runtime(['start', id]);
    assert.equal(again.status, 1);
    assert.match(again.stderr, /running/);
    const del = b.runtime(['delete', id]);
    assert.equal(del.status, 1);
    assert.match(del.stderr, /running/);
    assert.equal(b.runtime(['delete', '--force', id]).status, 0);
    const stopped = uniqueId();
    b.write(testSpec(['true']));
    b.runtime(['run', '-d', '--keep', stopped]);
    waitFor(() => stateOf(b, stopped).status === 'stopped');
    const k = b.runtime(['kill', stopped]);
    assert.equal(k.status, 1);
    assert.match(k.stderr, /stopped/);
    b.runtime(['delete', stopped]);
  });

  it('refuses an invalid config and leaves nothing behind', () => {
    const id = uniqueId();
    writeFileSync(join(b.dir, 'config.json'), '{ not json');
    const r = b.runtime(['create', '--bundle', b.dir, id]);
    assert.equal(r.status, 1);
    assert.match(r.stderr, /not valid JSON/);
    assert.equal(existsSync(join(b.stateRoot, id)), false);
    b.write(testSpec(['/no/such/program']));
    const r2 = b.runtime(['create', '--bundle', b.dir, id]);
    assert.equal(r2.status, 1);
    assert.match(r2.stderr, /check_exec/);
    assert.equal(existsSync(join(b.stateRoot, id)), false);
    assert.deepEqual(cgroupLeft(id), []);
  });

  it('cleans up after a create killed with SIGKILL midway', async () => {
    const id = uniqueId();
    b.write(testSpec(['sleep', '30'], (s) => (s.hooks = { prestart: [{ path: '/bin/sleep', args: ['sleep', '3'] }] })));
    const child = spawn(process.execPath, [RUNTIME_BIN, '--root', b.stateRoot, 'create', '--bundle', b.dir, id], { stdio: 'ignore' });
    // Wait until the container reached its cgroup (the hook runs after that), then kill the CLI.
    const end = Date.now() + 10000;
    while (cgroupLeft(id).length === 0 && Date.now() < end) await new Promise((r) => setTimeout(r, 20));
    assert.ok(cgroupLeft(id).length > 0, 'create got as far as the cgroup');
    child.kill('SIGKILL');
    await new Promise((r) => child.on('exit', r));
    assert.equal(stateOf(b, id).status, 'creating', 'state shows the truth: a create that never finished');
    const d = b.runtime(['delete', id]);
    assert.equal(d.status, 0, d.stderr);
    assert.equal(existsSync(join(b.stateRoot, id)), false);
    assert.deepEqual(cgroupLeft(id), []);
  });

  it('lists containers as a table and as JSON', () => {
    const id = uniqueId();
    b.write(testSpec(['sleep', '30']));
    assert.equal(b.runtime(['create', '--bundle', b.dir, id]).status, 0);
    const json = JSON.parse(b.runtime(['list', '--format', 'json']).stdout) as { id: string; status: string }[];
    assert.equal(json.find((c) => c.id === id)?.status, 'created');
    assert.match(b.runtime(['list']).stdout, new RegExp(`^${id}\\s+\\d+\\s+created`, 'm'));
    const refused = b.runtime(['delete', id]);
    assert.equal(refused.status, 1, 'a created container is not stopped: delete needs --force');
    assert.match(refused.stderr, /created/);
    assert.equal(b.runtime(['delete', '--force', id]).status, 0);
  });
});
