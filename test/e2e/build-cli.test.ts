// `vessel build` end to end: the cache (a rebuild reuses every step, a touched file rebuilds from
// its COPY, a changed build arg only from its ARG), heredocs as docker runs them (buildah 1.28
// cannot be the oracle there), and bad input: one clear line, exit 1, nothing left behind.
import assert from 'node:assert/strict';
import { execFileSync, spawn, spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, statSync, symlinkSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:http';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { after, before, test } from 'node:test';
import { setTimeout as sleep } from 'node:timers/promises';
import { CLI, engineRoot, type EngineRoot } from './engine-fixture.js';

let e: EngineRoot;
let ctx: string;
before(() => {
  e = engineRoot();
  ctx = mkdtempSync(join(tmpdir(), 'vessel-build-cli-'));
});
after(() => {
  for (const dir of made) rmSync(dir, { recursive: true, force: true });
  e.cleanup();
  rmSync(ctx, { recursive: true, force: true });
});

function dockerfile(text: string): void {
  writeFileSync(join(ctx, 'Dockerfile'), text);
}

function buildPlain(...args: string[]): { status: number | null; err: string; cached: number } {
  const r = e.vessel('build', '--progress', 'plain', ...args, ctx);
  return { status: r.status, err: r.stderr, cached: (r.stderr.match(/ CACHED$/gm) ?? []).length };
}

test('a rebuild reuses every step; touching a copied file rebuilds from its COPY; a build arg from its ARG', () => {
  writeFileSync(join(ctx, 'f.txt'), 'one\n');
  dockerfile('FROM busybox\nRUN echo a > /a\nCOPY f.txt /f.txt\nRUN cat /f.txt > /g\nARG V=1\nRUN echo $V > /v\n');
  const first = buildPlain('-t', 'cache-test');
  assert.equal(first.status, 0, first.err);
  assert.equal(first.cached, 0);
  const id1 = e.ok('image', 'inspect', '--format', '{{.Id}}', 'cache-test').trim();
  const again = buildPlain('-t', 'cache-test');
  assert.equal(again.cached, 4, again.err);
  assert.equal(e.ok('image', 'inspect', '--format', '{{.Id}}', 'cache-test').trim(), id1, 'a fully cached rebuild makes the same image');
  writeFileSync(join(ctx, 'f.txt'), 'two\n');
  const touched = buildPlain('-t', 'cache-test');
  assert.equal(touched.cached, 1, touched.err);
  assert.equal(fileOf('cache-test', '/g'), 'two\n');
  const arg = buildPlain('-t', 'cache-test', '--build-arg', 'V=2');
  assert.equal(arg.cached, 3, arg.err);
  assert.equal(fileOf('cache-test', '/v'), '2\n');
  const none = buildPlain('-t', 'cache-test', '--no-cache');
  assert.equal(none.cached, 0);
});

test('RUN and COPY heredocs as docker runs them', () => {
  dockerfile('FROM busybox\nRUN <<EOT\necho first > /h1\necho second >> /h1\nEOT\nENV WHO=world\nCOPY <<EOT /greeting\nhello $WHO\nEOT\n');
  const r = buildPlain('-t', 'heredoc-test');
  assert.equal(r.status, 0, r.err);
  assert.equal(fileOf('heredoc-test', '/h1'), 'first\nsecond\n');
  assert.equal(fileOf('heredoc-test', '/greeting'), 'hello world\n');
});

test('bad input: unknown instruction, failing RUN, missing base, context escapes', () => {
  const containersBefore = e.ok('ps', '-aq').trim();
  dockerfile('FROM busybox\n\nRUNN echo x\n');
  let r = buildPlain();
  assert.equal(r.status, 1);
  assert.match(r.err, /Dockerfile:3: unknown instruction: RUNN/);
  dockerfile('FROM busybox\nRUN echo visible-output; exit 3\n');
  r = buildPlain();
  assert.equal(r.status, 1);
  assert.match(r.err, /visible-output/);
  assert.match(r.err, /did not complete successfully: exit code: 3/);
  assert.equal(e.ok('ps', '-aq').trim(), containersBefore, 'a failed RUN leaves no container');
  assert.ok(!readFileSync('/proc/mounts', 'utf8').includes(e.root), 'nor a mount');
  dockerfile('FROM no-such-image-here.invalid/x\n');
  r = buildPlain();
  assert.equal(r.status, 1);
  assert.match(r.err, /no-such-image-here\.invalid\/x/);
  dockerfile('FROM busybox\nCOPY ../etc/passwd /x\n');
  r = buildPlain();
  assert.equal(r.status, 1);
  assert.match(r.err, /outside the build context/);
  dockerfile('FROM busybox\nCOPY /etc/passwd /x\n');
  r = buildPlain();
  assert.equal(r.status, 1);
  assert.match(r.err, /absolute/);
});

test('builder prune removes the cache', () => {
  const out = e.ok('builder', 'prune', '-f');
  assert.match(out, /Deleted build cache objects: [1-9]/);
  dockerfile('FROM busybox\nRUN echo a > /a\n');
  assert.equal(buildPlain().cached, 0);
});

/** Directories the tests made, removed at the end even when a test failed midway. */
const made: string[] = [];

function inDir(files: Record<string, string>): string {
  const dir = mkdtempSync(join(tmpdir(), 'vessel-build-ctx-'));
  made.push(dir);
  for (const [name, content] of Object.entries(files)) {
    mkdirSync(dirname(join(dir, name)), { recursive: true });
    writeFileSync(join(dir, name), content);
  }
  return dir;
}

/** A file of an image, read through a container that never starts (cp), so the check does not
 * depend on running one. */
function fileOf(image: string, path: string): string | undefined {
  const id = e.ok('create', '--network', 'none', image, 'true').trim();
  const out = mkdtempSync(join(tmpdir(), 'vessel-build-out-'));
  try {
    const r = e.vessel('cp', `${id}:${path}`, join(out, 'f'));
    return r.status === 0 ? readFileSync(join(out, 'f'), 'utf8') : undefined;
  } finally {
    e.ok('rm', '-f', id);
    rmSync(out, { recursive: true, force: true });
  }
}

function modeOf(image: string, path: string): string {
  const id = e.ok('create', '--network', 'none', image, 'true').trim();
  const out = mkdtempSync(join(tmpdir(), 'vessel-build-out-'));
  try {
    e.ok('cp', `${id}:${path}`, join(out, 'f'));
    return (statSync(join(out, 'f')).mode & 0o7777).toString(8);
  } finally {
    e.ok('rm', '-f', id);
    rmSync(out, { recursive: true, force: true });
  }
}

test('context from stdin: a Dockerfile alone, or a tar of the context', () => {
  let r = spawnSync(process.execPath, [CLI, '--root', e.root, 'build', '-q', '-t', 'stdin-df', '-'], { input: 'FROM busybox\nRUN echo from-stdin > /s\n', encoding: 'utf8' });
  assert.equal(r.status, 0, r.stderr);
  assert.equal(fileOf('stdin-df', '/s'), 'from-stdin\n');
  const dir = inDir({ Dockerfile: 'FROM busybox\nCOPY f /f\n', f: 'in-tar\n' });
  const tar = execFileSync('tar', ['-C', dir, '-cf', '-', '.']);
  r = spawnSync(process.execPath, [CLI, '--root', e.root, 'build', '-q', '-t', 'stdin-tar', '-'], { input: tar, encoding: 'utf8' });
  assert.equal(r.status, 0, r.stderr);
  assert.equal(fileOf('stdin-tar', '/f'), 'in-tar\n');
  rmSync(dir, { recursive: true, force: true });
});

test('-f outside the context, with its own .dockerignore beside it; symlinks out of the context refused', () => {
  const dir = inDir({ 'keep.txt': 'k\n', 'drop.txt': 'd\n', '.dockerignore': 'keep.txt\n' });
  const other = inDir({ 'My.Dockerfile': 'FROM busybox\nCOPY . /ctx/\nRUN ls -A /ctx > /list\n', 'My.Dockerfile.dockerignore': 'drop.txt\n' });
  e.ok('build', '-q', '-t', 'ignore-test', '-f', join(other, 'My.Dockerfile'), dir);
  assert.equal(fileOf('ignore-test', '/list'), '.dockerignore\nkeep.txt\n');
  symlinkSync('/etc', join(dir, 'escape'));
  writeFileSync(join(other, 'Esc.Dockerfile'), 'FROM busybox\nCOPY escape/passwd /p\n');
  const r = e.vessel('build', '-f', join(other, 'Esc.Dockerfile'), dir);
  assert.equal(r.status, 1);
  assert.match(r.stderr, /leads outside the build context/);
  rmSync(dir, { recursive: true, force: true });
  rmSync(other, { recursive: true, force: true });
});

test('-q, --iidfile, several -t, --label, -o type=tar', () => {
  const dir = inDir({ Dockerfile: 'FROM busybox\nLABEL from=file\nRUN echo x > /x\n' });
  const iid = join(dir, 'iid');
  const tar = join(dir, 'out.tar');
  const out = e.ok('build', '-q', '-t', 'multi-a', '-t', 'multi-b:v2', '--label', 'extra=yes', '--iidfile', iid, '-o', `type=tar,dest=${tar}`, dir).trim();
  assert.match(out, /^sha256:[0-9a-f]{64}$/);
  assert.equal(readFileSync(iid, 'utf8'), out);
  assert.equal(e.ok('image', 'inspect', '--format', '{{.Id}}', 'multi-b:v2').trim(), out);
  assert.equal(e.ok('image', 'inspect', '--format', '{{.Id}}', 'multi-a').trim(), out);
  const labels = JSON.parse(e.ok('image', 'inspect', '--format', '{{json .Config.Labels}}', 'multi-a'));
  assert.deepEqual(labels, { from: 'file', extra: 'yes' });
  assert.ok(execFileSync('tar', ['-tf', tar], { encoding: 'utf8' }).split('\n').some((l) => l.replace(/^\.\//, '') === 'x'));
  rmSync(dir, { recursive: true, force: true });
});

test('ONBUILD triggers run in a child build; --target skips stages it does not need', () => {
  const dir = inDir({ Dockerfile: 'FROM busybox\nONBUILD RUN echo triggered > /onbuild\n', 'Child.Dockerfile': 'FROM onbuild-parent\nRUN cat /onbuild > /seen\n' });
  e.ok('build', '-q', '-t', 'onbuild-parent', dir);
  e.ok('build', '-q', '-t', 'onbuild-child', '-f', join(dir, 'Child.Dockerfile'), dir);
  assert.equal(fileOf('onbuild-child', '/seen'), 'triggered\n');
  assert.equal(e.ok('image', 'inspect', '--format', '{{json .Config.OnBuild}}', 'onbuild-child').trim(), 'null');
  writeFileSync(join(dir, 'Dockerfile'), 'FROM busybox AS broken\nRUN exit 1\nFROM busybox AS fine\nRUN echo ok > /ok\n');
  e.ok('build', '-q', '--target', 'fine', '-t', 'target-test', dir);
  assert.equal(fileOf('target-test', '/ok'), 'ok\n');
  rmSync(dir, { recursive: true, force: true });
});

test('--build-context, --secret, --network none, ADD of a URL on 127.0.0.1', async () => {
  const server = createServer((req, res) => res.end(req.url === '/file.txt' ? 'served\n' : 'nope'));
  await new Promise<void>((res) => server.listen(0, '127.0.0.1', res));
  const port = (server.address() as { port: number }).port;
  const extra = inDir({ 'lib.txt': 'from-extra\n' });
  const dir = inDir({
    Dockerfile: `FROM busybox\nCOPY --from=extra lib.txt /lib.txt\nRUN --mount=type=secret,id=tok cat /run/secrets/tok > /tok-copy\nRUN --network=none sh -c '! ip link show eth0' && echo isolated > /net\nADD http://127.0.0.1:${port}/file.txt /downloaded\n`,
    'tok.txt': 'sekrit\n',
  });
  const r = await spawnAsync(['build', '-q', '-t', 'ctx-test', '--build-context', `extra=${extra}`, '--secret', `id=tok,src=${join(dir, 'tok.txt')}`, dir]);
  server.close();
  assert.equal(r.code, 0, r.stderr);
  assert.equal(fileOf('ctx-test', '/lib.txt'), 'from-extra\n');
  assert.equal(fileOf('ctx-test', '/tok-copy'), 'sekrit\n');
  assert.equal(fileOf('ctx-test', '/run/secrets/tok'), undefined, 'a secret is not in the image');
  assert.equal(fileOf('ctx-test', '/net'), 'isolated\n');
  assert.equal(fileOf('ctx-test', '/downloaded'), 'served\n');
  assert.equal(modeOf('ctx-test', '/downloaded'), '600');
  rmSync(dir, { recursive: true, force: true });
  rmSync(extra, { recursive: true, force: true });
});

test('two builds of the same Dockerfile at once are both correct', async () => {
  const dir = inDir({ Dockerfile: 'FROM busybox\nRUN echo one > /one\nCOPY f /f\nRUN cat /one /f > /both\n', f: 'eff\n' });
  const [a, b] = await Promise.all([spawnAsync(['build', '-q', '-t', 'conc-a', dir]), spawnAsync(['build', '-q', '-t', 'conc-b', dir])]);
  assert.equal(a.code, 0, a.stderr);
  assert.equal(b.code, 0, b.stderr);
  assert.equal(fileOf('conc-a', '/both'), 'one\neff\n');
  assert.equal(fileOf('conc-b', '/both'), 'one\neff\n');
  rmSync(dir, { recursive: true, force: true });
});

test('--cache-from: a loaded image serves as cache for the same steps', () => {
  const dir = inDir({ Dockerfile: 'FROM busybox\nRUN echo slow > /slow\nCOPY f /f\n', f: 'x\n' });
  e.ok('build', '-q', '-t', 'cache-src', dir);
  const saved = join(dir, 'img.tar');
  e.ok('save', '-o', saved, 'cache-src');
  e.ok('rmi', 'cache-src');
  e.ok('builder', 'prune', '-f');
  e.ok('load', '-i', saved);
  const r = e.vessel('build', '--progress', 'plain', '--cache-from', 'cache-src', '-t', 'cache-dst', dir);
  assert.equal(r.status, 0, r.stderr);
  assert.equal((r.stderr.match(/ CACHED$/gm) ?? []).length, 2, r.stderr);
  assert.equal(e.ok('image', 'inspect', '--format', '{{.Id}}', 'cache-dst'), e.ok('image', 'inspect', '--format', '{{.Id}}', 'cache-src'));
  rmSync(dir, { recursive: true, force: true });
});

test('a build killed with SIGKILL mid-RUN leaves nothing builder prune cannot clean', async () => {
  const dir = inDir({ Dockerfile: 'FROM busybox\nRUN touch /started && sleep 30\n' });
  const before = e.ok('ps', '-aq').trim();
  const child = spawn(process.execPath, [CLI, '--root', e.root, 'build', '--progress', 'plain', dir], { stdio: ['ignore', 'pipe', 'pipe'] });
  let err = '';
  child.stderr.on('data', (d) => (err += d));
  for (let i = 0; i < 300 && !/\/started/.test(err) && !/#2 \d/.test(err); i++) await sleep(100);
  await sleep(500);
  child.kill('SIGKILL');
  await new Promise((res) => child.on('exit', res));
  e.ok('builder', 'prune', '-f');
  for (let i = 0; i < 50 && e.ok('ps', '-aq').trim() !== before; i++) await sleep(100);
  assert.equal(e.ok('ps', '-aq').trim(), before, 'no build container left');
  assert.ok(!readFileSync('/proc/mounts', 'utf8').includes(join(e.root, 'containers')), 'no container mount left');
  rmSync(dir, { recursive: true, force: true });
});

function spawnAsync(args: string[]): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((res) => {
    const child = spawn(process.execPath, [CLI, '--root', e.root, ...args], { stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d) => (stdout += d));
    child.stderr.on('data', (d) => (stderr += d));
    child.on('exit', (code) => res({ code, stdout, stderr }));
  });
}
