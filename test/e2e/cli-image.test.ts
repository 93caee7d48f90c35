// The `vessel` CLI (the built dist/vessel.cjs) the way a user types it, with a temp --root.
import assert from 'node:assert/strict';
import { execFile, execFileSync, spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { after, before, describe, test } from 'node:test';
import { makeBusyboxRootfs } from '../fixtures/busybox.js';
import { writeBusyboxLayout, type LayoutImage } from '../fixtures/images.js';
import { startRegistry, type TestRegistry } from '../fixtures/registry.js';

const VESSEL = join(import.meta.dirname, '..', '..', 'dist', 'vessel.cjs');

interface Run {
  code: number;
  out: string;
  err: string;
}

function vesselIn(root: string) {
  return (args: string[], input?: Buffer | string): Run => {
    const r = spawnSync(process.execPath, [VESSEL, '--root', root, ...args], { input, encoding: 'utf8', maxBuffer: 64 << 20 });
    return { code: r.status ?? -1, out: r.stdout, err: r.stderr };
  };
}

let work: string;
let tarball: string;
before(() => {
  if (!existsSync(VESSEL)) throw new Error(`${VESSEL} is missing: run npm run build first`);
  work = mkdtempSync(join(tmpdir(), 'vessel-e2e-'));
  makeBusyboxRootfs(join(work, 'rootfs'));
  tarball = join(work, 'rootfs.tar');
  execFileSync('tar', ['-C', join(work, 'rootfs'), '-cf', tarball, '.']);
});
after(() => rmSync(work, { recursive: true, force: true }));

function freshRoot(t: { after(fn: () => void): void }): ReturnType<typeof vesselIn> & { root: string } {
  const root = mkdtempSync(join(tmpdir(), 'vessel-e2e-root-'));
  t.after(() => rmSync(root, { recursive: true, force: true }));
  return Object.assign(vesselIn(root), { root });
}

test('help, usage errors and exit codes', (t) => {
  const v = freshRoot(t);
  const help = v(['--help']);
  assert.equal(help.code, 0);
  for (const c of ['pull', 'push', 'images', 'rmi', 'save', 'load', 'import', 'login', 'image']) assert.match(help.out, new RegExp(`^  ${c} `, 'm'));
  const pullHelp = v(['pull', '--help']);
  assert.match(pullHelp.out, /--platform string\s+Set platform/);
  assert.match(pullHelp.out, /-q, --quiet/);
  assert.match(v(['image', '--help']).out, /^ {2}ls /m);
  const unknown = v(['frobnicate']);
  assert.equal(unknown.code, 125);
  const badFlag = v(['images', '--bogus']);
  assert.equal(badFlag.code, 125);
  assert.match(badFlag.err, /unknown flag: --bogus/);
  const missingArg = v(['pull']);
  assert.equal(missingArg.code, 125);
  assert.match(missingArg.err, /requires exactly 1 argument/);
  const missing = v(['image', 'inspect', 'nothing:here']);
  assert.equal(missing.code, 1);
  assert.match(missing.err, /^Error: No such image: nothing:here\n$/);
});

test('import, images, history, inspect, tag, rmi output shapes', (t) => {
  const v = freshRoot(t);
  const imp = v(['import', '-c', 'CMD ["sh"]', '-m', 'hello', tarball, 'busybox']);
  assert.equal(imp.code, 0, imp.err);
  const id = imp.out.trim();
  assert.match(id, /^sha256:[0-9a-f]{64}$/);
  const images = v(['images']);
  const [header, row] = images.out.split('\n');
  assert.match(header!, /^REPOSITORY {3}TAG {7}IMAGE ID {7}CREATED {7,}SIZE$/);
  assert.match(row!, new RegExp(`^busybox {6}latest {4}${id.slice(7, 19)} {3}.+ago {3,}\\d(\\.\\d+)?MB$`));
  assert.equal(v(['images', '--format', '{{.Repository}}:{{.Tag}} {{.ID}}']).out, `busybox:latest ${id.slice(7, 19)}\n`);
  assert.equal((JSON.parse(v(['images', '--format', 'json']).out) as { ID: string }).ID, id.slice(7, 19));
  assert.equal(v(['images', '-q']).out, `${id.slice(7, 19)}\n`);
  assert.equal(v(['image', 'ls', '--no-trunc', '-q']).out, `${id}\n`);
  const history = v(['history', 'busybox']);
  assert.match(history.out, /^IMAGE {10}CREATED {3,}CREATED BY {3,}SIZE {6}COMMENT\n/);
  assert.match(history.out, /hello\n$/);
  const inspect = JSON.parse(v(['image', 'inspect', 'busybox']).out) as { Id: string; Config: { Cmd: string[] }; RepoTags: string[] }[];
  assert.equal(inspect[0]!.Id, id);
  assert.deepEqual(inspect[0]!.Config.Cmd, ['sh']);
  assert.equal(v(['image', 'inspect', '--format', '{{json .Config.Cmd}}', 'busybox']).out, '["sh"]\n');
  assert.equal(v(['tag', 'busybox', 'localhost:5000/my/box:v2']).code, 0);
  assert.deepEqual(v(['images', '--format', '{{.Repository}}:{{.Tag}}']).out.split('\n').filter(Boolean).sort(), ['busybox:latest', 'localhost:5000/my/box:v2']);
  const rmi1 = v(['rmi', 'localhost:5000/my/box:v2']);
  assert.equal(rmi1.out, 'Untagged: localhost:5000/my/box:v2\n');
  const rmi2 = v(['rmi', 'busybox']);
  assert.match(rmi2.out, new RegExp(`^Untagged: busybox:latest\nDeleted: ${id}\n`));
  assert.equal(v(['images', '-q']).out, '');
});

test('save to stdout and load from stdin round trip', (t) => {
  const v = freshRoot(t);
  const id = v(['import', tarball, 'busybox:1']).out.trim();
  for (const format of ['docker-archive', 'oci-archive']) {
    const file = join(v.root, `${format}.tar`);
    const saved = v(['save', '--format', format, '-o', file, 'busybox:1']);
    assert.equal(saved.code, 0, saved.err);
    const other = freshRoot(t);
    const loaded = other(['load', '-i', file]);
    assert.equal(loaded.out, 'Loaded image: busybox:1\n', loaded.err);
    assert.equal(other(['images', '-q', '--no-trunc']).out, `${id}\n`);
  }
  const r = spawnSync(process.execPath, [VESSEL, '--root', v.root, 'save', 'busybox:1'], { maxBuffer: 64 << 20 });
  const other = freshRoot(t);
  const loaded = other(['load'], r.stdout);
  assert.equal(loaded.out, 'Loaded image: busybox:1\n', loaded.err);
});

describe('with a registry', () => {
  let registry: TestRegistry;
  let secure: TestRegistry;
  let layout: LayoutImage;
  before(async () => {
    [registry, secure] = await Promise.all([startRegistry('none'), startRegistry('htpasswd')]);
    layout = await writeBusyboxLayout(join(work, 'layout'), 'busybox:latest');
    await promisify(execFile)('skopeo', ['copy', '-q', '--dest-tls-verify=false', `oci:${layout.dir}:busybox:latest`, `docker://${registry.host}/lib/busybox:latest`]);
  });
  after(async () => {
    await registry?.stop();
    await secure?.stop();
  });

  test('pull and push output, identical digests', (t) => {
    const v = freshRoot(t);
    const pulled = v(['pull', `${registry.host}/lib/busybox`]);
    assert.equal(pulled.code, 0, pulled.err);
    assert.match(pulled.out, /^Using default tag: latest\nlatest: Pulling from lib\/busybox\n/);
    assert.match(pulled.out, new RegExp(`Digest: ${layout.digest}\n`));
    assert.match(pulled.out, new RegExp(`\n${registry.host}/lib/busybox:latest\n$`));
    assert.equal(v(['pull', '-q', `${registry.host}/lib/busybox`]).out, `${registry.host}/lib/busybox:latest\n`);
    assert.match(v(['images', '--digests']).out, new RegExp(`${registry.host}/lib/busybox {3}latest {4}${layout.digest}`));
    v(['tag', `${registry.host}/lib/busybox`, `${registry.host}/mine/box:v1`]);
    const pushed = v(['push', `${registry.host}/mine/box:v1`]);
    assert.equal(pushed.code, 0, pushed.err);
    assert.match(pushed.out, new RegExp(`^The push refers to repository \\[${registry.host}/mine/box\\]\n`));
    assert.match(pushed.out, new RegExp(`v1: digest: ${layout.digest} size: \\d+\n$`));
  });

  test('two processes pulling the same image at once share one copy of each layer', async (t) => {
    const v = freshRoot(t);
    const run = () => promisify(execFile)(process.execPath, [VESSEL, '--root', v.root, 'pull', '-q', `${registry.host}/lib/busybox`]);
    const [a, b] = await Promise.all([run(), run()]);
    assert.equal(a.stdout, b.stdout);
    assert.equal(readdirSync(join(v.root, 'layers')).length, 3);
    assert.deepEqual(readdirSync(join(v.root, 'tmp')), []);
    assert.equal(v(['images', '-q']).out, `${layout.manifests[0]!.configDigest.slice(7, 19)}\n`);
  });

  test('login stores 0600 credentials; logout removes them', (t) => {
    const v = freshRoot(t);
    assert.equal(v(['import', tarball, `${secure.host}/priv/box`]).code, 0);
    const denied = v(['push', `${secure.host}/priv/box`]);
    assert.equal(denied.code, 1);
    assert.match(denied.err, /^Error: .*unauthorized/);
    const bad = v(['login', '-u', secure.credentials.username, '--password-stdin', secure.host], 'wrong\n');
    assert.equal(bad.code, 1);
    const ok = v(['login', '-u', secure.credentials.username, '--password-stdin', secure.host], `${secure.credentials.password}\n`);
    assert.equal(ok.out, 'Login Succeeded\n', ok.err);
    assert.equal(statSync(join(v.root, 'auth.json')).mode & 0o777, 0o600);
    assert.equal(v(['push', `${secure.host}/priv/box`]).code, 0);
    assert.equal(v(['logout', secure.host]).out, `Removing login credentials for ${secure.host}\n`);
    assert.equal(v(['pull', `${secure.host}/priv/box`]).code, 1);
  });
});
