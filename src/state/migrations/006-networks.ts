// Networks and their address allocations (the network library's tables), the embedded resolver's
// per-container upstreams, and what the engine keeps per container for networking: its mode and
// /etc/hosts inputs, and the networks it joined with `network connect`, which it rejoins at every
// start. Numbered after the networking issue so parallel work on other tables takes other numbers.
// The schema is written out here, not taken from the network library: an applied migration must
// never change, whatever the code that reads the tables becomes.
import type { Migration } from '../db.js';

export const networks: Migration = {
  version: 6,
  name: 'networks',
  up: `
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
    CREATE TABLE IF NOT EXISTS network_dns_upstreams (
      container_id TEXT PRIMARY KEY,
      servers TEXT NOT NULL
    );
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
  `,
};
