// The checks of values that become lines of a container's /etc files, and of mount requests.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { checkMountRequests } from '../../src/engine/bundle/mounts.js';
import { absoluteBindSpec, absoluteMountSpec, parseMountFlag, parseVolumeFlag } from '../../src/engine/config/parse.js';
import { validateAddHost, validateDnsOption, validateDnsSearch, validateDnsServer, validateHostname, validateNameResolution } from '../../src/engine/config/validate.js';
import { extraHostEntries } from '../../src/network/etc/hosts.js';

const invalidOption = (flag: string) => (e: unknown) => (e as { code?: string }).code === 'INVALID_OPTION' && (e as Error).message.includes(`"${flag}"`) && !(e as Error).message.includes('\n');

describe('name resolution flags', () => {
  it('takes IPv4 and IPv6 resolvers and refuses anything else in one line', () => {
    assert.equal(validateDnsServer('1.1.1.1'), '1.1.1.1');
    assert.equal(validateDnsServer('2001:db8::53'), '2001:db8::53');
    for (const bad of ['1.1.1', 'dns.example', '1.1.1.1\nnameserver 6.6.6.6', '1.1.1.1 ', '', '::1\n']) assert.throws(() => validateDnsServer(bad), invalidOption('--dns'), JSON.stringify(bad));
    assert.throws(() => validateDnsServer('8.8.8'), { message: 'invalid argument "8.8.8" for "--dns" flag: IP address is not correctly formatted: 8.8.8' });
  });

  it('takes NAME:IP, NAME=IP, [v6] and host-gateway for --add-host', () => {
    assert.deepEqual(validateAddHost('db:10.0.0.5'), { name: 'db', ip: '10.0.0.5' });
    assert.deepEqual(validateAddHost('db=10.0.0.5'), { name: 'db', ip: '10.0.0.5' });
    assert.deepEqual(validateAddHost('v6:[::2]'), { name: 'v6', ip: '::2' });
    assert.deepEqual(validateAddHost('v6=::2'), { name: 'v6', ip: '::2' });
    assert.deepEqual(validateAddHost('gw:host-gateway'), { name: 'gw', ip: 'host-gateway' });
    assert.throws(() => validateAddHost('nocolon'), /bad format for add-host/);
    assert.throws(() => validateAddHost(':1.2.3.4'), /bad format for add-host/);
    assert.throws(() => validateAddHost('a:b'), /invalid IP address in add-host: "b"/);
    for (const bad of ['a:1.2.3.4\n6.6.6.6 evil', 'a\nb:1.2.3.4', 'a b:1.2.3.4', 'a\t:1.2.3.4']) assert.throws(() => validateAddHost(bad), invalidOption('--add-host'), JSON.stringify(bad));
  });

  it('checks search domains, options and the host name for line breaks', () => {
    assert.equal(validateDnsSearch('example.com'), 'example.com');
    assert.equal(validateDnsSearch('.'), '.');
    assert.equal(validateDnsSearch('corp.example.'), 'corp.example.');
    for (const bad of ['a.com\nnameserver 1.2.3.4', 'a com', '-a.com', '123', '']) assert.throws(() => validateDnsSearch(bad), invalidOption('--dns-search'), JSON.stringify(bad));
    assert.equal(validateDnsOption('ndots:2'), 'ndots:2');
    for (const bad of ['ndots:2\nnameserver 1.2.3.4', 'a b', '']) assert.throws(() => validateDnsOption(bad), invalidOption('--dns-option'), JSON.stringify(bad));
    assert.equal(validateHostname('web-1'), 'web-1');
    assert.throws(() => validateHostname('web\n1.2.3.4 evil'), invalidOption('--hostname'));
  });

  it('checks every value of a request', () => {
    const ok = { hostname: 'h', dns: ['1.1.1.1'], dnsSearch: ['x.org'], dnsOptions: ['rotate'], addHosts: ['a:1.2.3.4'] };
    validateNameResolution(ok);
    validateNameResolution({ dns: [], dnsSearch: [], dnsOptions: [], addHosts: [] });
    assert.throws(() => validateNameResolution({ ...ok, addHosts: ['a:1.2.3.4', 'b:x'] }), invalidOption('--add-host'));
  });

  it('writes host-gateway as the address it is given', () => {
    assert.deepEqual(extraHostEntries(['gw:host-gateway', 'db=10.0.0.5'], '172.17.0.1'), [{ ip: '172.17.0.1', names: ['gw'] }, { ip: '10.0.0.5', names: ['db'] }]);
  });
});

describe('bind mount requests', () => {
  it('creates a -v source but requires a --mount source', () => {
    const v = parseVolumeFlag('/missing:/x');
    assert.equal(v.CreateMountpoint, true);
    const m = parseMountFlag('type=bind,source=/missing,target=/x');
    assert.ok(!m.CreateMountpoint);
    const none = () => false;
    checkMountRequests({ Mounts: [v], Tmpfs: {} }, none);
    assert.throws(() => checkMountRequests({ Mounts: [m], Tmpfs: {} }, none), { message: 'invalid mount config for type "bind": bind source path does not exist: /missing' });
    checkMountRequests({ Mounts: [m], Tmpfs: {} }, () => true);
    assert.throws(() => checkMountRequests({ Mounts: [v], Tmpfs: { '/x': '' } }, none), /Duplicate mount point: \/x/);
  });

  it('makes a relative -v source absolute against the client directory', () => {
    assert.equal(absoluteBindSpec('./data:/x:ro', '/home/u'), '/home/u/data:/x:ro');
    assert.equal(absoluteBindSpec('../data:/x', '/home/u'), '/home/data:/x');
    assert.equal(absoluteBindSpec('.:/x', '/home/u'), '/home/u:/x');
    assert.equal(absoluteBindSpec('named:/x', '/home/u'), 'named:/x', 'a volume name stays');
    assert.equal(absoluteBindSpec('/abs:/x', '/home/u'), '/abs:/x');
    assert.equal(absoluteBindSpec('/x', '/home/u'), '/x');
    assert.equal(parseVolumeFlag('named:/x').Type, 'volume');
    assert.equal(absoluteMountSpec('type=bind,source=./data,target=/x', '/home/u'), 'type=bind,source=/home/u/data,target=/x');
    assert.equal(absoluteMountSpec('type=bind,src=.,dst=/x,readonly', '/home/u'), 'type=bind,src=/home/u,dst=/x,readonly');
    assert.equal(absoluteMountSpec('type=volume,source=data,target=/x', '/home/u'), 'type=volume,source=data,target=/x');
    assert.equal(absoluteMountSpec('type=bind,source=/abs,target=/x', '/home/u'), 'type=bind,source=/abs,target=/x');
    // a relative path reaching the engine (not through a client) is refused, not taken for a volume name
    assert.throws(() => parseVolumeFlag('./data:/x'), /bind source path must be absolute/);
  });
});
