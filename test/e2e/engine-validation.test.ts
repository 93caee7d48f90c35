// Flag values that would become lines of a container's /etc files are refused before anything is
// made (docker's messages and exit code 125, compared with the docker CLI, which checks them before
// it needs a daemon); bind mounts follow docker: --mount needs its source, -v creates it, and
// -v ./rel is relative to the client's directory.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { CLI, engineRoot, type EngineRoot } from './engine-fixture.js';

const hasDocker = spawnSync('docker', ['--version']).status === 0;

const INJECTIONS: [string, string][] = [
  ['--dns', '1.1.1.1\nnameserver 6.6.6.6'],
  ['--dns', '1.1.1'],
  ['--add-host', 'db:10.0.0.5\n6.6.6.6 evil.example'],
  ['--add-host', 'nocolon'],
  ['--dns-search', 'example.com\nnameserver 6.6.6.6'],
];

describe('create-time validation', { timeout: 120_000 }, () => {
  let e: EngineRoot;
  const scratch = mkdtempSync(join(tmpdir(), 'vessel-e2e-validate-'));

  before(() => {
    e = engineRoot();
  });

  after(() => {
    e?.cleanup();
    rmSync(scratch, { recursive: true, force: true });
  });

  const nothingCreated = () => {
    assert.equal(e.ok('ps', '-aq'), '', 'no container');
    const dir = join(e.root, 'containers');
    assert.deepEqual(existsSync(dir) ? readdirSync(dir) : [], [], 'no container directory');
  };

  for (const [flag, value] of INJECTIONS) {
    it(`refuses ${flag} ${JSON.stringify(value)} with exit code 125 and creates nothing`, () => {
      for (const verb of ['run', 'create']) {
        const r = e.vessel(verb, '--rm', '--name', 'injected', flag, value, 'busybox', 'true');
        assert.equal(r.status, 125, `${verb}: ${r.stderr}`);
        assert.equal(r.stderr.trim().split('\n').length, 1, `one line: ${r.stderr}`);
        assert.match(r.stderr, new RegExp(`^invalid argument ".*" for "${flag}" flag: `));
        nothingCreated();
      }
      if (hasDocker) {
        // the docker CLI checks these before it needs a daemon
        const d = spawnSync('docker', ['run', flag, value, 'busybox', 'true'], { encoding: 'utf8' });
        assert.equal(d.status, 125, `docker: ${d.stderr}`);
        assert.match(d.stderr, new RegExp(`invalid argument ".*" for "${flag}" flag`));
      }
    });
  }

  it('refuses --mount type=bind with a missing source, as docker does', () => {
    const missing = join(scratch, 'missing');
    const r = e.vessel('run', '--rm', '--mount', `type=bind,source=${missing},target=/x`, 'busybox', 'true');
    assert.notEqual(r.status, 0);
    assert.match(r.stderr, new RegExp(`invalid mount config for type "bind": bind source path does not exist: ${missing}$`, 'm'));
    assert.ok(!existsSync(missing), 'the source was not created');
    nothingCreated();
  });

  it('creates a missing -v source on the host', () => {
    const missing = join(scratch, 'made', 'by-v');
    assert.equal(e.ok('run', '--rm', '-v', `${missing}:/x`, 'busybox', 'sh', '-c', 'echo hi > /x/f && echo ok').trim(), 'ok');
    assert.equal(readFileSync(join(missing, 'f'), 'utf8'), 'hi\n');
  });

  it('takes -v ./rel:/x and --mount source=./rel relative to the client directory', () => {
    const cwd = mkdtempSync(join(scratch, 'cwd-'));
    writeFileSync(join(cwd, 'hello'), 'from the host\n');
    const r = spawnSync(process.execPath, [CLI, '--root', e.root, 'run', '--rm', '-v', './:/data:ro', '-v', './sub:/sub', '--mount', 'type=bind,source=.,target=/m,readonly', 'busybox', 'sh', '-c', 'cat /data/hello /m/hello && touch /sub/made'], { cwd, encoding: 'utf8' });
    assert.equal(r.status, 0, r.stderr);
    assert.equal(r.stdout, 'from the host\nfrom the host\n');
    assert.ok(existsSync(join(cwd, 'sub', 'made')), './sub was made relative to the client directory');
  });

  it('writes --add-host NAME:host-gateway as the gateway of the container network', () => {
    const [net] = JSON.parse(e.ok('network', 'inspect', 'bridge')) as { IPAM: { Config: { Gateway: string }[] } }[];
    const hosts = e.ok('run', '--rm', '--add-host', 'gw:host-gateway', '--add-host', 'db=10.0.0.5', 'busybox', 'cat', '/etc/hosts');
    assert.match(hosts, new RegExp(`^${net!.IPAM.Config[0]!.Gateway.replace(/\./g, '\\.')}\\tgw$`, 'm'));
    assert.match(hosts, /^10\.0\.0\.5\tdb$/m);
  });
});
