// What a rename changes on the network side: the endpoint rows the resolver reads, the engine's
// per-container network config, and inspect's DNSNames.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { renamedNetworkSettings, renameOnNetworks } from '../../src/engine/network/rename.js';
import { migratedDb } from '../fixtures/state-db.js';

test('renameOnNetworks puts the new name on every endpoint and the network config of that container only', () => {
  const db = migratedDb();
  try {
    db.prepare(`INSERT INTO networks VALUES (?, ?, 'bridge', '10.0.0.0/24', '10.0.0.1', NULL, 0, '{}', ?, '{}', '', '[]')`).run('n1', 'one', 'br1');
    db.prepare(`INSERT INTO networks VALUES (?, ?, 'bridge', '10.0.1.0/24', '10.0.1.1', NULL, 0, '{}', ?, '{}', '', '[]')`).run('n2', 'two', 'br2');
    const endpoint = db.prepare(`INSERT INTO network_endpoints VALUES (?, ?, ?, '', ?, '', 'eth0', '', '[]', '[]', '[]')`);
    endpoint.run('n1', 'c1', 'old', 2);
    endpoint.run('n2', 'c1', 'old', 2);
    endpoint.run('n1', 'c2', 'other', 3);
    const config = db.prepare(`INSERT INTO container_network_config VALUES (?, ?, 'one', 'h', NULL, '[]')`);
    config.run('c1', 'old');
    config.run('c2', 'other');

    renameOnNetworks(db, 'c1', 'new');

    const names = (sql: string) => (db.prepare(sql).all() as { container_id: string; container_name: string }[]).map((r) => `${r.container_id}=${r.container_name}`);
    assert.deepEqual(names('SELECT container_id, container_name FROM network_endpoints ORDER BY network_id, container_id'), ['c1=new', 'c2=other', 'c1=new']);
    assert.deepEqual(names('SELECT container_id, container_name FROM container_network_config ORDER BY container_id'), ['c1=new', 'c2=other']);
  } finally {
    db.close();
  }
});

test("renamedNetworkSettings replaces the old name in each network's DNSNames and keeps the rest", () => {
  const settings = {
    Ports: {},
    Networks: {
      one: { DNSNames: ['old', 'abc123456789', 'alias'], IPAddress: '10.0.0.2' },
      bridge: { DNSNames: null, IPAddress: '172.17.0.2' },
    },
  };
  const renamed = renamedNetworkSettings(settings, 'old', 'new');
  assert.deepEqual(renamed.Networks, {
    one: { DNSNames: ['new', 'abc123456789', 'alias'], IPAddress: '10.0.0.2' },
    bridge: { DNSNames: null, IPAddress: '172.17.0.2' },
  });
  assert.deepEqual(settings.Networks.one.DNSNames, ['old', 'abc123456789', 'alias'], 'the input is left as it was');
});
