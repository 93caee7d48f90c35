// The embedded resolver's logic without sockets: answers from an in-memory database, the
// upstream list, resolv.conf for a container behind it, and DNS-over-TCP framing.
import assert from 'node:assert/strict';
import { EventEmitter } from 'node:events';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import type { Socket } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import type Database from 'better-sqlite3';
import { Resolver } from '../../src/network/dns/resolver.js';
import { framed, onMessages } from '../../src/network/dns/stream.js';
import { hostUpstreams } from '../../src/network/dns/upstreams.js';
import { resolvConfFile } from '../../src/network/etc/resolvconf.js';
import { migratedDb } from '../fixtures/state-db.js';
import { dnsQuery, readReply, RCODE_SERVFAIL } from '../fixtures/dns.js';

const ip = (s: string) => s.split('.').reduce((n, b) => n * 256 + Number(b), 0);

function database(): Database.Database {
  const db = migratedDb();
  const net = db.prepare(`INSERT INTO networks (id, name, driver, subnet, gateway, internal, labels, bridge, options, created) VALUES (?, ?, 'bridge', '', '', ?, '{}', ?, '{}', '')`);
  net.run('na', 'front', 0, 'b1');
  net.run('nb', 'back', 0, 'b2');
  net.run('ni', 'sealed', 1, 'b3');
  net.run('nd', 'bridge', 0, 'b4');
  const ep = db.prepare(`INSERT INTO network_endpoints (network_id, container_id, container_name, ip, ip_int, mac, if_name, host_if, aliases, ports) VALUES (?, ?, ?, ?, ?, '', 'eth0', '', ?, '[]')`);
  const add = (network: string, id: string, name: string, addr: string, aliases: string[] = []) => ep.run(network, id.padEnd(64, '0'), name, addr, ip(addr), JSON.stringify(aliases));
  add('na', 'aaaa', 'web', '10.0.0.2', ['www']);
  add('na', 'bbbb', 'client', '10.0.0.3');
  add('nb', 'cccc', 'db', '10.0.1.2');
  add('ni', 'dddd', 'vault', '10.0.2.2');
  add('nd', 'eeee', 'legacy', '172.17.0.2');
  add('nd', 'aaaa', 'web', '172.17.0.3');
  return db;
}

const id = (short: string) => short.padEnd(64, '0');

function resolver(db: Database.Database, hostResolvConf = '/nonexistent'): Resolver {
  return new Resolver({ db, dbPath: ':memory:', controlName: 'unused', hostResolvConf, takeFd: () => -1, peerOf: () => ({ pid: 0, uid: 0 }), openSockets: () => undefined, onExit: () => undefined });
}

async function ask(r: Resolver, from: string, name: string, type = 1) {
  const reply = await r.answer(id(from), dnsQuery(name, type, 0x1234), 'udp');
  assert.ok(reply);
  return readReply(reply);
}

describe('embedded DNS resolver logic', () => {
  it('answers names, aliases and short ids of containers on the asker\'s user networks only', async () => {
    const r = resolver(database());
    assert.deepEqual((await ask(r, 'bbbb', 'web')).addresses, ['10.0.0.2']);
    assert.deepEqual((await ask(r, 'bbbb', 'WWW')).addresses, ['10.0.0.2']);
    assert.deepEqual((await ask(r, 'bbbb', 'aaaa00000000')).addresses, ['10.0.0.2']);
    const v6 = await ask(r, 'bbbb', 'web', 28);
    assert.deepEqual([v6.rcode, v6.addresses], [0, []], 'a known name has no AAAA record, and is no error');
    assert.equal((await ask(r, 'bbbb', 'web')).id, 0x1234);
    // not on the default bridge: 'legacy' shares only that with web
    assert.equal((await ask(r, 'aaaa', 'legacy')).addresses.length, 0);
  });

  it('fails fast with SERVFAIL when nothing can answer, and refuses to forward from an internal network', async () => {
    const r = resolver(database());
    const started = Date.now();
    assert.equal((await ask(r, 'cccc', 'web')).rcode, RCODE_SERVFAIL);
    assert.ok(Date.now() - started < 200);
    assert.equal((await ask(r, 'dddd', 'example.test')).rcode, 5);
    assert.equal(await r.answer(id('cccc'), Buffer.from('short'), 'udp'), null, 'no answer to what is not a query');
  });

  it('uses the current name: the containers table\'s, when it has the container (rename)', async () => {
    const db = database();
    db.prepare(`INSERT INTO containers (id, name, image, image_id, config, host_config, mounts, labels, state, created_at)
      VALUES (?, ?, 'busybox', '', '{}', '{}', '[]', '{}', 'running', '')`).run(id('aaaa'), 'renamed');
    const r = resolver(db);
    assert.deepEqual((await ask(r, 'bbbb', 'renamed')).addresses, ['10.0.0.2']);
    assert.deepEqual((await ask(r, 'bbbb', 'web')).addresses, [], 'the old name is gone');
  });

  it('reads only the host\'s non-loopback resolvers', () => {
    const dir = mkdtempSync(join(tmpdir(), 'vessel-dns-unit-'));
    try {
      const file = join(dir, 'resolv.conf');
      writeFileSync(file, 'nameserver 127.0.0.53\nnameserver 10.9.9.9\nnameserver ::1\nnameserver 10.8.8.8\n');
      assert.deepEqual(hostUpstreams(file), ['10.9.9.9', '10.8.8.8']);
      assert.deepEqual(hostUpstreams(join(dir, 'missing')), []);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('writes resolv.conf for the embedded resolver with ndots:0 unless an ndots is given', () => {
    const host = 'nameserver 10.1.1.1\nsearch corp.example\noptions edns0\n';
    assert.equal(resolvConfFile({ host, dns: ['127.0.0.11'], embedded: true }), 'nameserver 127.0.0.11\nsearch corp.example\noptions edns0 ndots:0\n');
    assert.equal(resolvConfFile({ host, dns: ['127.0.0.11'], dnsOptions: ['ndots:3'], embedded: true }), 'nameserver 127.0.0.11\nsearch corp.example\noptions ndots:3\n');
  });

  it('splits a DNS-over-TCP stream into messages, however it arrives', () => {
    const socket = new EventEmitter() as unknown as Socket;
    const got: string[] = [];
    onMessages(socket, (m) => got.push(m.toString()));
    const stream = Buffer.concat([framed(Buffer.from('first')), framed(Buffer.from('second message'))]);
    socket.emit('data', stream.subarray(0, 1));
    socket.emit('data', stream.subarray(1, 9));
    socket.emit('data', stream.subarray(9));
    assert.deepEqual(got, ['first', 'second message']);
  });
});
