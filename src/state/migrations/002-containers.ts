// Containers, named volumes and the event log. A container row is the engine's truth about
// configuration; its live status is recomputed from the runtime and the supervisor's exit file.
import type { Migration } from '../db.js';

export const containers: Migration = {
  version: 2,
  name: 'containers',
  up: `
    CREATE TABLE containers (
      id TEXT PRIMARY KEY,
      name TEXT NOT NULL UNIQUE,
      image TEXT NOT NULL,
      image_id TEXT NOT NULL,
      -- docker's Config, HostConfig and Mounts, as JSON
      config TEXT NOT NULL,
      host_config TEXT NOT NULL,
      mounts TEXT NOT NULL,
      labels TEXT NOT NULL,
      -- created | running | paused | restarting | removing | exited | dead
      state TEXT NOT NULL,
      pid INTEGER NOT NULL DEFAULT 0,
      supervisor_pid INTEGER NOT NULL DEFAULT 0,
      exit_code INTEGER NOT NULL DEFAULT 0,
      oom_killed INTEGER NOT NULL DEFAULT 0,
      restart_count INTEGER NOT NULL DEFAULT 0,
      -- set by stop/kill so unless-stopped and always do not restart it
      stopped_by_user INTEGER NOT NULL DEFAULT 0,
      network_settings TEXT,
      created_at TEXT NOT NULL,
      started_at TEXT,
      finished_at TEXT
    );
    CREATE INDEX containers_image ON containers(image_id);
    CREATE TABLE volumes (
      name TEXT PRIMARY KEY,
      driver TEXT NOT NULL,
      labels TEXT NOT NULL,
      created_at TEXT NOT NULL
    );
    CREATE TABLE events (
      seq INTEGER PRIMARY KEY AUTOINCREMENT,
      time_ms INTEGER NOT NULL,
      type TEXT NOT NULL,
      action TEXT NOT NULL,
      actor_id TEXT NOT NULL,
      attributes TEXT NOT NULL
    );
    CREATE INDEX events_actor ON events(actor_id);
  `,
};
