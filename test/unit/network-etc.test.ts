import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { hostsFile, parseAddHost } from '../../src/network/etc/hosts.js';
import { hostnameFile } from '../../src/network/etc/hostname.js';
import { resolvConfFile } from '../../src/network/etc/resolvconf.js';

describe('container /etc files', () => {
  it('writes /etc/hosts with localhost, extra hosts and the container names', () => {
    const text = hostsFile({
      hostname: 'abc123',
      addresses: [{ ip: '172.18.0.2', names: ['web', 'frontend', 'web'] }],
      extraHosts: [parseAddHost('db:10.0.0.5'), parseAddHost('v6:[::2]')],
    });
    const lines = text.trimEnd().split('\n');
    assert.equal(lines[0], '127.0.0.1\tlocalhost');
    assert.ok(lines.includes('10.0.0.5\tdb'));
    assert.ok(lines.includes('::2\tv6'));
    assert.equal(lines.at(-1), '172.18.0.2\tabc123 web frontend');
    assert.match(hostsFile({ hostname: 'h', addresses: [] }), /127\.0\.1\.1\th\n$/);
    assert.throws(() => parseAddHost('nocolon'));
  });

  it('writes /etc/hostname', () => {
    assert.equal(hostnameFile('abc'), 'abc\n');
  });

  it('derives resolv.conf from the host, dropping loopback resolvers', () => {
    const host = '# comment\nnameserver 127.0.0.53\nnameserver 10.1.1.1\nnameserver ::1\nsearch corp.example\noptions edns0 trust-ad\n';
    assert.equal(resolvConfFile({ host }), 'nameserver 10.1.1.1\nsearch corp.example\noptions edns0 trust-ad\n');
    assert.equal(resolvConfFile({ host, dns: ['9.9.9.9'], dnsSearch: ['a.example', 'b.example'], dnsOptions: ['ndots:2'] }), 'nameserver 9.9.9.9\nsearch a.example b.example\noptions ndots:2\n');
    assert.equal(resolvConfFile({ host: 'nameserver 127.0.0.53\n' }), '');
    assert.equal(resolvConfFile({ host, dnsSearch: ['.'] }), 'nameserver 10.1.1.1\noptions edns0 trust-ad\n');
  });
});
