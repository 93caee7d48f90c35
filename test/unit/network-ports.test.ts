import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { exposedPortMappings, parsePortSpec } from '../../src/network/ports.js';

const tcp = (hostIp: string, hostPort: number, containerPort: number) => ({ hostIp, hostPort, containerPort, protocol: 'tcp' as const });

describe('port specs', () => {
  it('parses the -p forms', () => {
    assert.deepEqual(parsePortSpec('80'), [tcp('0.0.0.0', 0, 80)]);
    assert.deepEqual(parsePortSpec('8080:80'), [tcp('0.0.0.0', 8080, 80)]);
    assert.deepEqual(parsePortSpec('127.0.0.1:8080:80'), [tcp('127.0.0.1', 8080, 80)]);
    assert.deepEqual(parsePortSpec('127.0.0.1::80'), [tcp('127.0.0.1', 0, 80)]);
    assert.deepEqual(parsePortSpec('53:53/udp'), [{ hostIp: '0.0.0.0', hostPort: 53, containerPort: 53, protocol: 'udp' }]);
    assert.deepEqual(parsePortSpec('8000-8001:80-81/TCP'), [tcp('0.0.0.0', 8000, 80), tcp('0.0.0.0', 8001, 81)]);
  });

  it('rejects malformed specs with a clear error', () => {
    for (const bad of ['', 'x', '0', '70000', '80/sctp', '1.2.3:80:80', '8000-8002:80-81', '[::1]:80:80', '1:2:3:4', '90-80']) {
      assert.throws(() => parsePortSpec(bad), { code: 'INVALID_PORT_SPEC' }, bad);
    }
  });

  it('maps -P exposed ports to random host ports', () => {
    assert.deepEqual(exposedPortMappings({ '80/tcp': {}, '53/udp': {} }), [tcp('0.0.0.0', 0, 80), { hostIp: '0.0.0.0', hostPort: 0, containerPort: 53, protocol: 'udp' }]);
  });
});
