// Networks and their address allocations (the network library's tables), the embedded resolver's
// per-container upstreams, and what the engine keeps per container for networking: its mode and
// /etc/hosts inputs, and the networks it joined with `network connect`, which it rejoins at every
// start. Numbered after the networking issue so parallel work on other tables takes other numbers.
import type { Migration } from '../db.js';
import { migrateDnsTables, migrateNetworkTables } from '../../network/schema.js';

export const networks: Migration = {
  version: 6,
  name: 'networks',
  up: (sql) => {
    migrateNetworkTables(sql);
    migrateDnsTables(sql);
    sql.exec(`
      CREATE TABLE IF NOT EXISTS container_network_config (
        container_id TEXT PRIMARY KEY,
        container_name TEXT NOT NULL,
        mode TEXT NOT NULL,
        hostname TEXT NOT NULL,
        -- the file the engine bind-mounts at /etc/hosts, rewritten in place when addresses change
        hosts_path TEXT,
        add_hosts TEXT NOT NULL
      );
      CREATE TABLE IF NOT EXISTS container_network_links (
        container_id TEXT NOT NULL,
        network_id TEXT NOT NULL,
        ip TEXT,
        aliases TEXT NOT NULL,
        created_at INTEGER NOT NULL,
        PRIMARY KEY (container_id, network_id)
      );
    `);
  },
};
