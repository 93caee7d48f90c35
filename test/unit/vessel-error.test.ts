// One error base class: every module's error is a VesselError carrying docker's status class, which
// the CLI maps to exit codes and the Engine API server to HTTP statuses.
import assert from 'node:assert/strict';
import { readFileSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { UsageError } from '../../src/cli/engine/command.js';
import { CgroupError } from '../../src/cgroups/errors.js';
import { EngineError } from '../../src/engine/errors.js';
import { ImageError } from '../../src/image/errors.js';
import { NetworkError } from '../../src/network/errors.js';
import { RuntimeError } from '../../src/runtime/errors.js';
import { HTTP_STATUS, VesselError, isVesselError, statusOf } from '../../src/vessel-error.js';

function sources(dir: string): string[] {
  return readdirSync(dir).flatMap((n) => {
    const p = join(dir, n);
    return statSync(p).isDirectory() ? sources(p) : p.endsWith('.ts') ? [p] : [];
  });
}

test('no error class in src extends Error directly, except the base class', () => {
  const offenders = sources('src').filter((f) => f !== join('src', 'vessel-error.ts') && /class \w+ extends Error\b/.test(readFileSync(f, 'utf8')));
  assert.deepEqual(offenders, []);
});

test("errors carry docker's status class, the object and the cause", () => {
  const cause = new Error('EEXIST');
  const cases: [VesselError, string, number][] = [
    [new EngineError('NO_SUCH_CONTAINER', 'No such container: x', 'x'), 'notFound', 404],
    [new EngineError('NAME_IN_USE', 'Conflict.', 'web'), 'conflict', 409],
    [new EngineError('INVALID_OPTION', 'Minimum memory limit allowed is 6MB', '1k'), 'invalidParameter', 400],
    [new EngineError('NOT_MODIFIED', 'already started', 'x'), 'notModified', 304],
    [new ImageError('IMAGE_NOT_FOUND', 'No such image: nothing:here', 'nothing:here'), 'notFound', 404],
    [new NetworkError('NETWORK_NOT_FOUND', 'network nope not found', 'nope'), 'notFound', 404],
    [new NetworkError('NETLINK_FAILED', 'netlink', 'vessel0', { cause }), 'system', 500],
    [new RuntimeError('ALREADY_EXISTS', 'exists', 'id'), 'conflict', 409],
    [new CgroupError('CGROUP_WRITE', 'write failed', '/sys/fs/cgroup/x', '1'), 'system', 500],
    [new UsageError('bad flag'), 'invalidParameter', 400],
  ];
  for (const [err, status, http] of cases) {
    assert.ok(err instanceof VesselError && err instanceof Error, err.name);
    assert.ok(isVesselError(err));
    assert.equal(err.status, status, err.message);
    assert.equal(HTTP_STATUS[err.status], http);
    assert.equal(typeof err.code, 'string');
  }
  const withCause = new NetworkError('NETLINK_FAILED', 'netlink', 'vessel0', { cause });
  assert.equal(withCause.cause, cause);
  assert.equal(withCause.object, 'vessel0');
  assert.equal(new ImageError('IMAGE_NOT_FOUND', 'No such image: a', 'a').object, 'a');
  assert.equal(statusOf(new Error('plain')), 'system');
});
