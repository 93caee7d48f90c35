// The runtime-backend's pure parts: runtime names, the runtime log an external runtime leaves on
// failure, and the --pull policy names.
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { BUILTIN_RUNTIME, checkRuntime, externalStateRoot, RUNTIME_NAMES, RuntimeBackendError, runtimeBinary } from '../../src/engine/runtime-backend/index.js';
import { lastRuntimeError } from '../../src/engine/runtime-backend/runtime-log.js';
import { parsePullPolicy, PullPolicyError } from '../../src/cli/engine/commands/pull-policy.js';

test('runtime names: vessel is built in, runc and crun are known, others are refused', () => {
  assert.deepEqual(RUNTIME_NAMES, ['vessel', 'runc', 'crun']);
  assert.doesNotThrow(() => checkRuntime(BUILTIN_RUNTIME));
  assert.throws(() => checkRuntime('kata'), (e: unknown) => e instanceof RuntimeBackendError && e.code === 'UNKNOWN_RUNTIME' && e.message === 'unknown or invalid runtime name: kata');
  assert.equal(externalStateRoot('/var/lib/vessel', 'runc'), '/var/lib/vessel/runtime-runc');
});

test('a known runtime\'s program is looked up on $PATH first', (t) => {
  const saved = process.env.PATH;
  t.after(() => {
    process.env.PATH = saved;
  });
  const dir = mkdtempSync(join(tmpdir(), 'vessel-unit-'));
  t.after(() => rmSync(dir, { recursive: true, force: true }));
  writeFileSync(join(dir, 'runc'), '#!/bin/sh\n', { mode: 0o755 });
  process.env.PATH = dir;
  assert.equal(runtimeBinary('runc'), join(dir, 'runc'));
});

test('the last error-level message of a runtime log, skipping other levels and garbage', (t) => {
  const dir = mkdtempSync(join(tmpdir(), 'vessel-unit-'));
  t.after(() => rmSync(dir, { recursive: true, force: true }));
  const log = join(dir, 'runtime.log');
  writeFileSync(log, [
    '{"level":"warning","msg":"ignoring"}',
    '{"level":"error","msg":"first"}',
    'not json',
    '{"level":"error","msg":"runc create failed: exec: \\"/x\\": no such file or directory"}',
    '{"level":"info","msg":"later"}',
    '',
  ].join('\n'));
  assert.equal(lastRuntimeError(log), 'runc create failed: exec: "/x": no such file or directory');
  assert.equal(lastRuntimeError(join(dir, 'missing.log')), undefined);
  writeFileSync(log, '{"level":"info","msg":"fine"}\n');
  assert.equal(lastRuntimeError(log), undefined);
});

test('pull policies: docker\'s three names, and docker\'s message for others', () => {
  assert.equal(parsePullPolicy('always'), 'always');
  assert.equal(parsePullPolicy('missing'), 'missing');
  assert.equal(parsePullPolicy('never'), 'never');
  assert.throws(() => parsePullPolicy('Always'), (e: unknown) => e instanceof PullPolicyError && e.message === `invalid pull option: 'Always': must be one of "always", "missing" or "never"`);
});
