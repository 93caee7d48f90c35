// A renamed container answers to its new name on its user networks: the endpoint rows the embedded
// resolver reads, the engine's per-container network config (reused by `network connect`), and the
// DNSNames that inspect shows all carry the name.
import { sqlOf, type EngineDb } from './db.js';
import type { EndpointSettings } from './types.js';

/** Puts `name` on the container's endpoints and network config; call inside the rename's transaction. */
export function renameOnNetworks(engineDb: EngineDb, containerId: string, name: string): void {
  const db = sqlOf(engineDb);
  db.prepare('UPDATE network_endpoints SET container_name = ? WHERE container_id = ?').run(name, containerId);
  db.prepare('UPDATE container_network_config SET container_name = ? WHERE container_id = ?').run(name, containerId);
}

/** `settings` (a container's NetworkSettings) with `oldName` replaced by `name` in every network's DNSNames. */
export function renamedNetworkSettings<T extends Record<string, unknown>>(settings: T, oldName: string, name: string): T {
  const networks = settings.Networks as Record<string, EndpointSettings> | undefined;
  if (!networks) return settings;
  const renamed: Record<string, EndpointSettings> = {};
  for (const [net, ep] of Object.entries(networks)) {
    renamed[net] = ep.DNSNames ? { ...ep, DNSNames: ep.DNSNames.map((n) => (n === oldName ? name : n)) } : ep;
  }
  return { ...settings, Networks: renamed };
}
