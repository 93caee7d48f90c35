// The network library's tables, on their own: the engine's migrations create them at every start
// of the CLI, which must not load the IPAM or the resolver to do so (start-up time is a target).
import type { Database } from 'better-sqlite3';

export function migrateNetworkTables(db: Database): void {
  db.exec(`
    CREATE TABLE IF NOT EXISTS networks (
      id TEXT PRIMARY KEY,
      name TEXT NOT NULL UNIQUE,
      driver TEXT NOT NULL,
      subnet TEXT NOT NULL,
      gateway TEXT NOT NULL,
      ip_range TEXT,
      internal INTEGER NOT NULL,
      labels TEXT NOT NULL,
      bridge TEXT NOT NULL UNIQUE,
      options TEXT NOT NULL,
      created TEXT NOT NULL,
      rules TEXT NOT NULL DEFAULT '[]'
    );
    CREATE TABLE IF NOT EXISTS network_endpoints (
      network_id TEXT NOT NULL REFERENCES networks(id),
      container_id TEXT NOT NULL,
      container_name TEXT NOT NULL,
      ip TEXT NOT NULL,
      ip_int INTEGER NOT NULL,
      mac TEXT NOT NULL,
      if_name TEXT NOT NULL,
      host_if TEXT NOT NULL,
      aliases TEXT NOT NULL,
      ports TEXT NOT NULL,
      rules TEXT NOT NULL DEFAULT '[]',
      PRIMARY KEY (network_id, container_id),
      UNIQUE (network_id, ip_int)
    );
  `);
}

export function migrateDnsTables(db: Database): void {
  db.exec(`
    CREATE TABLE IF NOT EXISTS network_dns_upstreams (
      container_id TEXT PRIMARY KEY,
      servers TEXT NOT NULL
    );
  `);
}
