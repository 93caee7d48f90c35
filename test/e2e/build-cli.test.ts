// `vessel build` end to end: the cache (a rebuild reuses every step, a touched file rebuilds from
// its COPY, a changed build arg only from its ARG), heredocs as docker runs them (buildah 1.28
// cannot be the oracle there), and bad input: one clear line, exit 1, nothing left behind.
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { engineRoot, type EngineRoot } from './engine-fixture.js';

let e: EngineRoot;
let ctx: string;
before(() => {
  e = engineRoot();
  ctx = mkdtempSync(join(tmpdir(), 'vessel-build-cli-'));
});
after(() => {
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
  assert.equal(e.ok('run', '--rm', '--network', 'none', 'cache-test', 'cat', '/g'), 'two\n');
  const arg = buildPlain('-t', 'cache-test', '--build-arg', 'V=2');
  assert.equal(arg.cached, 3, arg.err);
  assert.equal(e.ok('run', '--rm', '--network', 'none', 'cache-test', 'cat', '/v'), '2\n');
  const none = buildPlain('-t', 'cache-test', '--no-cache');
  assert.equal(none.cached, 0);
});

test('RUN and COPY heredocs as docker runs them', () => {
  dockerfile('FROM busybox\nRUN <<EOT\necho first > /h1\necho second >> /h1\nEOT\nENV WHO=world\nCOPY <<EOT /greeting\nhello $WHO\nEOT\n');
  const r = buildPlain('-t', 'heredoc-test');
  assert.equal(r.status, 0, r.err);
  assert.equal(e.ok('run', '--rm', '--network', 'none', 'heredoc-test', 'cat', '/h1'), 'first\nsecond\n');
  assert.equal(e.ok('run', '--rm', '--network', 'none', 'heredoc-test', 'cat', '/greeting'), 'hello world\n');
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
