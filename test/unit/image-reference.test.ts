import assert from 'node:assert/strict';
import { test } from 'node:test';
import { ImageError } from '../../src/image/errors.js';
import { familiarReference, formatReference, parseReference } from '../../src/image/reference.js';
import { parsePlatform, selectManifest } from '../../src/image/platform.js';
import { parseChallenge } from '../../src/image/registry/challenge.js';
import { chainIds, sha256Digest } from '../../src/image/manifest.js';

const D = `sha256:${'a'.repeat(64)}`;

test('docker normalisation', () => {
  const cases: [string, string, string][] = [
    ['busybox', 'docker.io/library/busybox:latest', 'busybox:latest'],
    ['busybox:1.36', 'docker.io/library/busybox:1.36', 'busybox:1.36'],
    ['user/app', 'docker.io/user/app:latest', 'user/app:latest'],
    ['index.docker.io/library/busybox', 'docker.io/library/busybox:latest', 'busybox:latest'],
    ['localhost/a', 'localhost/a:latest', 'localhost/a:latest'],
    ['host:5000/a/b:tag', 'host:5000/a/b:tag', 'host:5000/a/b:tag'],
    ['127.0.0.1:5000/a', '127.0.0.1:5000/a:latest', '127.0.0.1:5000/a:latest'],
    [`busybox@${D}`, `docker.io/library/busybox@${D}`, `busybox@${D}`],
    [`quay.io/x/y:v1@${D}`, `quay.io/x/y:v1@${D}`, `quay.io/x/y:v1@${D}`],
  ];
  for (const [input, full, short] of cases) {
    const ref = parseReference(input);
    assert.equal(formatReference(ref), full, input);
    assert.equal(familiarReference(ref), short, input);
  }
  assert.deepEqual(parseReference('host:5000/a/b:tag'), { registry: 'host:5000', repository: 'a/b', tag: 'tag' });
  assert.deepEqual(parseReference('busybox', { defaultTag: false }), { registry: 'docker.io', repository: 'library/busybox' });
});

test('invalid references are refused', () => {
  for (const bad of ['', 'Busybox', 'a/B', 'busybox:', 'busybox@sha256:abc', 'a//b', '-a', 'busybox:bad tag', `x@sha256:${'g'.repeat(64)}`]) {
    assert.throws(() => parseReference(bad), (e: unknown) => e instanceof ImageError && e.code === 'INVALID_REFERENCE', bad);
  }
});

test('platform parsing and manifest choice', () => {
  assert.deepEqual(parsePlatform('linux/arm64/v8'), { os: 'linux', architecture: 'arm64', variant: 'v8' });
  assert.throws(() => parsePlatform('linux'));
  const m = (architecture: string, variant?: string) => ({ mediaType: 'm', digest: `${architecture}${variant ?? ''}`, size: 1, platform: { os: 'linux', architecture, ...(variant ? { variant } : {}) } });
  const list = [m('amd64'), m('arm', 'v6'), m('arm', 'v7'), m('arm64')];
  assert.equal(selectManifest(list, { os: 'linux', architecture: 'arm', variant: 'v7' }, 'x').digest, 'armv7');
  assert.equal(selectManifest(list, { os: 'linux', architecture: 'arm64', variant: 'v8' }, 'x').digest, 'arm64');
  assert.equal(selectManifest(list, { os: 'linux', architecture: 'amd64' }, 'x').digest, 'amd64');
  assert.throws(() => selectManifest(list, { os: 'linux', architecture: 's390x' }, 'x'), /s390x/);
});

test('WWW-Authenticate challenges', () => {
  assert.deepEqual(parseChallenge('Bearer realm="https://auth.docker.io/token",service="registry.docker.io",scope="repository:library/busybox:pull"'), {
    scheme: 'bearer',
    params: { realm: 'https://auth.docker.io/token', service: 'registry.docker.io', scope: 'repository:library/busybox:pull' },
  });
  assert.deepEqual(parseChallenge('Basic realm="x"'), { scheme: 'basic', params: { realm: 'x' } });
});

test('chain ids', () => {
  const a = sha256Digest('a');
  const b = sha256Digest('b');
  assert.deepEqual(chainIds([a, b]), [a, sha256Digest(`${a} ${b}`)]);
});
