// `run`/`create --ip --network-alias`: settings for the endpoint on the container's own network,
// checked and recorded at create (as a `network connect` to that network would be) and applied at
// every start.
import { parseNetworkMode, requireNetwork } from '../../network/index.js';
import { parseIPv4 } from '../../network/ip.js';
import { addLink } from './config.js';
import { sqlOf, type EngineDb } from './db.js';
import { ContainerNetworkError } from './errors.js';
import { isUserNetwork } from './plan.js';

export interface EndpointPreset {
  ip?: string;
  aliases: string[];
}

/** Throws unless the mode is a user network that exists and the address is one. */
export function checkEndpointPreset(engineDb: EngineDb, networkMode: string, preset: EndpointPreset): void {
  const mode = parseNetworkMode(networkMode);
  const user = mode.kind === 'bridge' && isUserNetwork(mode.network);
  if (preset.ip && !user) throw new ContainerNetworkError('CONFLICTING_OPTIONS', 'user specified IP address is supported on user defined networks only', networkMode);
  if (preset.aliases.length && !user) throw new ContainerNetworkError('CONFLICTING_OPTIONS', 'network-scoped alias is supported only for containers in user defined networks', networkMode);
  if (mode.kind !== 'bridge') return;
  if (preset.ip) {
    try {
      parseIPv4(preset.ip);
    } catch (cause) {
      throw new ContainerNetworkError('CONFLICTING_OPTIONS', `invalid IPv4 address: ${preset.ip}`, preset.ip, { cause });
    }
  }
  requireNetwork(sqlOf(engineDb), mode.network);
}

export function presetEndpoint(engineDb: EngineDb, containerId: string, networkMode: string, preset: EndpointPreset): void {
  const mode = parseNetworkMode(networkMode);
  if (mode.kind !== 'bridge') return;
  const db = sqlOf(engineDb);
  addLink(db, { containerId, networkId: requireNetwork(db, mode.network).id, ip: preset.ip ?? null, aliases: preset.aliases });
}
