import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { migratedDb } from '../fixtures/state-db.js';
import { allocateEndpoint, defaultSubnetPool, insertNetwork, pickAddress, pickSubnet, portClashes, type EndpointRequest } from '../../src/network/ipam.js';
import { deleteNetworkRecord, getNetwork, listEndpoints, releaseEndpoint } from '../../src/network/records.js';
import { formatCidr, parseCidr } from '../../src/network/ip.js';
import { macFromIPv4 } from '../../src/network/mac.js';

function freshDb() {
  return migratedDb();
}

const req = (networkId: string, containerId: string, extra: Partial<EndpointRequest> = {}): EndpointRequest => ({
  networkId, containerId, containerName: containerId, ifName: 'eth0', hostIf: `veth-${containerId}`, mac: macFromIPv4, ...extra,
});

describe('IPAM', () => {
  it('never hands out network, gateway or broadcast, and reports exhaustion clearly', () => {
    const db = freshDb();
    const n = insertNetwork(db, { name: 'small', subnet: '10.9.0.0/29' }, []);
    assert.equal(n.gateway, '10.9.0.1');
    const ips = [1, 2, 3, 4, 5].map((i) => allocateEndpoint(db, req(n.id, `c${i}`)).ip);
    assert.deepEqual(ips, ['10.9.0.2', '10.9.0.3', '10.9.0.4', '10.9.0.5', '10.9.0.6']);
    assert.throws(() => allocateEndpoint(db, req(n.id, 'c6')), { code: 'ADDRESS_EXHAUSTED', message: /no free address left on network small/ });
  });

  it('reuses released addresses and derives the MAC from the address', () => {
    const db = freshDb();
    const n = insertNetwork(db, { name: 'n', subnet: '10.9.1.0/24' }, []);
    allocateEndpoint(db, req(n.id, 'a'));
    allocateEndpoint(db, req(n.id, 'b'));
    releaseEndpoint(db, n.id, 'a');
    const c = allocateEndpoint(db, req(n.id, 'c'));
    assert.equal(c.ip, '10.9.1.2');
    assert.equal(c.mac, '02:42:0a:09:01:02');
  });

  it('checks static addresses', () => {
    const db = freshDb();
    const n = insertNetwork(db, { name: 'n', subnet: '10.9.2.0/24', gateway: '10.9.2.254' }, []);
    assert.equal(allocateEndpoint(db, req(n.id, 'a', { ip: '10.9.2.1' })).ip, '10.9.2.1');
    assert.throws(() => allocateEndpoint(db, req(n.id, 'b', { ip: '10.9.2.1' })), { code: 'ADDRESS_IN_USE' });
    for (const bad of ['10.9.2.254', '10.9.2.0', '10.9.2.255', '10.9.3.5']) {
      assert.throws(() => allocateEndpoint(db, req(n.id, 'b', { ip: bad })), { code: 'INVALID_ADDRESS' }, bad);
    }
    assert.throws(() => allocateEndpoint(db, req(n.id, 'a')), { code: 'ENDPOINT_EXISTS' });
  });

  it('allocates from the ip-range only', () => {
    const db = freshDb();
    const n = insertNetwork(db, { name: 'n', subnet: '10.9.4.0/24', ipRange: '10.9.4.128/25' }, []);
    assert.equal(allocateEndpoint(db, req(n.id, 'a')).ip, '10.9.4.128');
    assert.throws(() => insertNetwork(db, { name: 'm', subnet: '10.9.5.0/24', ipRange: '10.9.6.0/25' }, []), { code: 'INVALID_ADDRESS' });
  });

  it('refuses overlapping subnets, duplicate names and bad gateways', () => {
    const db = freshDb();
    insertNetwork(db, { name: 'one', subnet: '10.10.0.0/16' }, []);
    assert.throws(() => insertNetwork(db, { name: 'two', subnet: '10.10.5.0/24' }, []), { code: 'SUBNET_OVERLAP', message: /overlaps network one/ });
    assert.throws(() => insertNetwork(db, { name: 'two', subnet: '10.0.0.0/8' }, []), { code: 'SUBNET_OVERLAP' });
    assert.throws(() => insertNetwork(db, { name: 'one', subnet: '10.11.0.0/16' }, []), { code: 'NETWORK_EXISTS' });
    assert.throws(() => insertNetwork(db, { name: 'g', subnet: '10.12.0.0/16', gateway: '10.13.0.1' }, []), { code: 'INVALID_ADDRESS' });
    assert.throws(() => insertNetwork(db, { name: 'h', subnet: '10.14.0.1/16' }, []), { code: 'INVALID_ADDRESS', message: /host bits/ });
    assert.throws(() => insertNetwork(db, { name: 'd', driver: 'overlay' }, []), { code: 'INVALID_OPTION' });
  });

  it('picks automatic subnets from the pool, skipping networks and host routes', () => {
    const db = freshDb();
    const def = insertNetwork(db, { name: 'bridge' }, []);
    assert.equal(def.subnet, '172.17.0.0/16');
    assert.equal(def.bridge, 'vessel0');
    assert.equal(def.gateway, '172.17.0.1');
    const routes = [parseCidr('172.18.5.0/24'), parseCidr('172.19.0.0/16')];
    const u = insertNetwork(db, { name: 'u' }, routes);
    assert.equal(u.subnet, '172.20.0.0/16');
    assert.match(u.bridge, /^vbr-[0-9a-f]{11}$/);
    // a user network created before the default one leaves 172.17 to it
    const db2 = freshDb();
    assert.equal(insertNetwork(db2, { name: 'first' }, []).subnet, '172.18.0.0/16');
    assert.equal(insertNetwork(db2, { name: 'bridge' }, [parseCidr('172.16.0.0/12')]).subnet, '192.168.0.0/20');
    assert.throws(() => pickSubnet(defaultSubnetPool(), [parseCidr('0.0.0.0/1'), parseCidr('128.0.0.0/1')]), { code: 'SUBNET_POOL_EXHAUSTED' });
    assert.equal(formatCidr(defaultSubnetPool().at(-1)!), '192.168.240.0/20');
  });

  it('reserves published host ports across networks', () => {
    const db = freshDb();
    const a = insertNetwork(db, { name: 'a', subnet: '10.20.0.0/24' }, []);
    const b = insertNetwork(db, { name: 'b', subnet: '10.21.0.0/24' }, []);
    const port = { hostIp: '0.0.0.0', hostPort: 8080, containerPort: 80, protocol: 'tcp' as const };
    allocateEndpoint(db, req(a.id, 'x', { ports: [port] }));
    assert.throws(() => allocateEndpoint(db, req(b.id, 'y', { ports: [{ ...port, hostIp: '127.0.0.1' }] })), { code: 'PORT_IN_USE' });
    allocateEndpoint(db, req(b.id, 'y', { ports: [{ ...port, protocol: 'udp' }] }));
    assert.equal(listEndpoints(db).length, 2);
  });

  it('finds networks by name, id and id prefix, and refuses removal while in use', () => {
    const db = freshDb();
    const n = insertNetwork(db, { name: 'n', subnet: '10.30.0.0/24', labels: { a: 'b' } }, []);
    assert.equal(getNetwork(db, n.id)?.name, 'n');
    assert.equal(getNetwork(db, n.id.slice(0, 12))?.name, 'n');
    assert.deepEqual(getNetwork(db, 'n')?.labels, { a: 'b' });
    allocateEndpoint(db, req(n.id, 'a'));
    assert.throws(() => deleteNetworkRecord(db, n.id), { code: 'NETWORK_IN_USE' });
    releaseEndpoint(db, n.id, 'a');
    deleteNetworkRecord(db, n.id);
    assert.equal(getNetwork(db, 'n'), null);
  });
});

describe('address choice without a database', () => {
  const n = { name: 'n', subnet: '10.9.0.0/29', gateway: '10.9.0.1', ipRange: null };
  const ip = (s: string) => s.split('.').reduce((a, b) => a * 256 + Number(b), 0);

  it('takes the lowest free address, skipping the reserved ones, or the one asked for', () => {
    assert.equal(pickAddress(n, new Set()), ip('10.9.0.2'));
    assert.equal(pickAddress(n, new Set([ip('10.9.0.2'), ip('10.9.0.3')])), ip('10.9.0.4'));
    assert.equal(pickAddress({ ...n, ipRange: '10.9.0.4/30' }, new Set()), ip('10.9.0.4'));
    assert.equal(pickAddress(n, new Set(), '10.9.0.6'), ip('10.9.0.6'));
    assert.throws(() => pickAddress(n, new Set(), '10.9.0.1'), { code: 'INVALID_ADDRESS' });
    assert.throws(() => pickAddress(n, new Set(), '10.9.0.7'), { code: 'INVALID_ADDRESS' }, 'broadcast');
    assert.throws(() => pickAddress(n, new Set([ip('10.9.0.6')]), '10.9.0.6'), { code: 'ADDRESS_IN_USE' });
    const full = new Set([2, 3, 4, 5, 6].map((h) => ip(`10.9.0.${h}`)));
    assert.throws(() => pickAddress(n, full), { code: 'ADDRESS_EXHAUSTED' });
  });

  it('finds host port clashes across host addresses', () => {
    const published = [{ containerId: 'c1', ports: [{ hostIp: '127.0.0.1', hostPort: 8080, containerPort: 80, protocol: 'tcp' as const }] }];
    const want = (hostIp: string, protocol: 'tcp' | 'udp' = 'tcp') => [{ hostIp, hostPort: 8080, containerPort: 80, protocol }];
    assert.equal(portClashes(published, want('0.0.0.0'))[0]?.containerId, 'c1');
    assert.equal(portClashes(published, want('127.0.0.1')).length, 1);
    assert.equal(portClashes(published, want('10.0.0.1')).length, 0);
    assert.equal(portClashes(published, want('127.0.0.1', 'udp')).length, 0);
  });
});
