// The API server's pure parts: version prefixes, the route table, moby's query conventions and
// stdcopy framing.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { ApiError, toHttpError } from '../../src/api/errors.js';
import { EngineError } from '../../src/engine/errors.js';
import { Query } from '../../src/api/query.js';
import { Router } from '../../src/api/router.js';
import { FrameReader, frame, StreamId } from '../../src/api/streams/stdcopy.js';
import { compareVersions, splitVersion } from '../../src/api/version.js';

describe('API versions', () => {
  it('compares numerically and strips a version prefix', () => {
    assert.ok(compareVersions('1.9', '1.24') < 0);
    assert.equal(compareVersions('1.50', '1.50'), 0);
    assert.deepEqual(splitVersion('/v1.41/containers/json'), { version: '1.41', path: '/containers/json' });
    assert.deepEqual(splitVersion('/containers/json'), { version: '1.50', path: '/containers/json' });
  });
  it('refuses versions outside the supported range with a 400', () => {
    assert.throws(() => splitVersion('/v1.51/info'), (e: unknown) => e instanceof ApiError && toHttpError(e).status === 400);
    assert.throws(() => splitVersion('/v1.12/info'), /too old/);
  });
});

describe('API router', () => {
  const hit = (name: string) => () => void name;
  const router = new Router().add([
    { method: 'GET', pattern: '/containers/{id}/json', handler: hit('inspect') },
    { method: 'POST', pattern: '/containers/{id}/start', handler: hit('start') },
    { method: 'GET', pattern: '/images/{name*}/json', handler: hit('image') },
    { method: 'GET', pattern: '/_ping', handler: hit('ping') },
    { method: 'HEAD', pattern: '/_ping', handler: hit('head') },
  ]);
  it('matches parameters, greedy names and HEAD through GET', () => {
    const m = router.match('GET', '/containers/abc/json');
    assert.ok(m && m !== 'method');
    assert.deepEqual(m.params, { id: 'abc' });
    const img = router.match('GET', '/images/127.0.0.1:5000/library/busybox:latest/json');
    assert.ok(img && img !== 'method');
    assert.equal(img.params.name, '127.0.0.1:5000/library/busybox:latest');
    const encoded = router.match('GET', '/containers/a%20b/json');
    assert.ok(encoded && encoded !== 'method');
    assert.equal(encoded.params.id, 'a b');
    const head = router.match('HEAD', '/containers/abc/json');
    assert.ok(head && head !== 'method');
  });
  it('tells an unknown path from a wrong method', () => {
    assert.equal(router.match('GET', '/nothing'), undefined);
    assert.equal(router.match('DELETE', '/containers/abc/start'), 'method');
    assert.equal(router.match('GET', '/containers/a/b/json'), undefined);
  });
});

describe('API query parameters', () => {
  const q = (s: string) => new Query(new URLSearchParams(s));
  it('reads booleans as moby does', () => {
    for (const v of ['1', 'true', 'True', 'yes', 'anything']) assert.equal(q(`a=${v}`).bool('a'), true, v);
    for (const v of ['', '0', 'no', 'false', 'none', 'FALSE']) assert.equal(q(`a=${v}`).bool('a'), false, v);
    assert.equal(q('').bool('a', true), true);
  });
  it('reads filters in both of docker\'s JSON forms', () => {
    assert.deepEqual(q(`filters=${encodeURIComponent('{"label":["a=b","c"]}')}`).filters(), { label: ['a=b', 'c'] });
    assert.deepEqual(q(`filters=${encodeURIComponent('{"dangling":{"true":true,"false":false}}')}`).filters(), { dangling: ['true'] });
    assert.throws(() => q('filters=nope').filters(), /invalid JSON in filters/);
    assert.throws(() => q('filters=[1]').filters(), /must be a JSON object/);
  });
  it('refuses a non-integer where an integer is expected', () => {
    assert.equal(q('t=10').int('t'), 10);
    assert.equal(q('').int('t'), undefined);
    assert.throws(() => q('t=1.5').int('t'), /not an integer/);
  });
});

describe('stdcopy frames', () => {
  it('frames stdout and stderr and reads them back across chunk boundaries', () => {
    const bytes = Buffer.concat([...frame(StreamId.Stdout, Buffer.from('out\n')), ...frame(StreamId.Stderr, Buffer.from('err\n'))]);
    assert.deepEqual([...bytes.subarray(0, 8)], [1, 0, 0, 0, 0, 0, 0, 4]);
    const reader = new FrameReader();
    const got = [...reader.push(bytes.subarray(0, 5)), ...reader.push(bytes.subarray(5, 13)), ...reader.push(bytes.subarray(13))];
    assert.deepEqual(got.map((f) => [f.stream, f.payload.toString()]), [[1, 'out\n'], [2, 'err\n']]);
    assert.equal(reader.buffered, 0);
  });
  it('splits large payloads into frames of at most 32 KiB', () => {
    const frames = frame(StreamId.Stdout, Buffer.alloc(70 * 1024, 1));
    assert.equal(frames.length, 6);
    assert.equal(frames[0]!.readUInt32BE(4), 32 * 1024);
    assert.equal(frame(StreamId.Stdout, Buffer.alloc(0)).length, 0);
  });
});

describe('API errors', () => {
  it('maps error classes to docker\'s statuses', () => {
    assert.deepEqual(toHttpError(ApiError.notFound('No such container: x')), { status: 404, message: 'No such container: x' });
    assert.deepEqual(toHttpError(new EngineError('NAME_IN_USE', 'in use', 'x')), { status: 409, message: 'in use' });
    assert.equal(toHttpError(new Error('boom')).status, 500);
  });
});
