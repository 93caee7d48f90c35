// docker's view of a network: the object `network inspect` and GET /networks/{id} show.
import { createHash } from 'node:crypto';
import type { Database } from 'better-sqlite3';
import { listEndpoints, type NetworkRecord } from '../../network/index.js';
import { parseCidr } from '../../network/ip.js';
import { endpointId } from '../network/settings.js';

export interface NetworkInspect {
  Name: string;
  Id: string;
  Created: string;
  Scope: 'local';
  Driver: string;
  EnableIPv6: false;
  IPAM: { Driver: 'default'; Options: Record<string, string>; Config: { Subnet: string; Gateway: string; IPRange?: string }[] };
  Internal: boolean;
  Attachable: false;
  Ingress: false;
  ConfigFrom: { Network: '' };
  ConfigOnly: false;
  Containers: Record<string, { Name: string; EndpointID: string; MacAddress: string; IPv4Address: string; IPv6Address: '' }>;
  Options: Record<string, string>;
  Labels: Record<string, string>;
}

/** host and none exist in docker without being created; they have no records here. */
export const PSEUDO_NETWORKS = ['host', 'none'].map((name) => ({ name, id: createHash('sha256').update(`vessel-network/${name}`).digest('hex'), driver: name === 'host' ? 'host' : 'null' }));

export function inspectNetwork(db: Database, n: NetworkRecord): NetworkInspect {
  const prefix = parseCidr(n.subnet).prefixLen;
  const containers: NetworkInspect['Containers'] = {};
  for (const e of listEndpoints(db, { networkId: n.id })) {
    containers[e.containerId] = { Name: e.containerName, EndpointID: endpointId(n.id, e.containerId), MacAddress: e.mac, IPv4Address: `${e.ip}/${prefix}`, IPv6Address: '' };
  }
  return {
    Name: n.name,
    Id: n.id,
    Created: n.created,
    Scope: 'local',
    Driver: n.driver,
    EnableIPv6: false,
    IPAM: { Driver: 'default', Options: {}, Config: [{ Subnet: n.subnet, Gateway: n.gateway, ...(n.ipRange ? { IPRange: n.ipRange } : {}) }] },
    Internal: n.internal,
    Attachable: false,
    Ingress: false,
    ConfigFrom: { Network: '' },
    ConfigOnly: false,
    Containers: containers,
    Options: n.options,
    Labels: n.labels,
  };
}
