// The engine's view of container networking: what it asks for, what it gets back.
import type { EngineDb } from './db.js';

/** The container a `container:NAME|ID` mode refers to, as the engine knows it. */
export interface ContainerRef {
  id: string;
  name: string;
  /** The init's pid while running; undefined or 0 when not running. */
  pid?: number;
}

export interface ContainerNetworkRequest {
  containerId: string;
  containerName: string;
  hostname: string;
  /** The --network value: bridge (default), host, none, container:NAME|ID, or a network name. */
  mode: string;
  /** -p values. */
  ports: string[];
  /** -P */
  publishAll: boolean;
  /** The image's ExposedPorts keys, like "80/tcp". */
  exposedPorts: string[];
  dns: string[];
  dnsSearch: string[];
  dnsOptions: string[];
  /** --add-host NAME:IP */
  addHosts: string[];
  /** --network-alias */
  aliases: string[];
  /** --ip */
  ip?: string;
  /** The engine's StateDb (or its SQLite handle). */
  db: EngineDb;
  /**
   * Resolves the NAME|ID of `--network container:NAME|ID` to that container (needed for that mode
   * only). The target must be running: its init's /proc/PID/ns/net is joined.
   */
  resolveContainer?: (nameOrId: string) => ContainerRef | undefined;
  /**
   * The file the engine bind-mounts at /etc/hosts (its content comes from the plan). When given,
   * connect and `network connect`/`disconnect` rewrite it in place (same inode, so the bind mount
   * sees it) with the container's addresses, which are only known once connected.
   */
  hostsPath?: string;
}

export interface ContainerNetworkPlan {
  /**
   * OCI namespace entries: [] for host mode (the host's is shared), [{type:'network'}] for a new
   * one (bridge, none, user networks), [{type:'network', path:'/proc/PID/ns/net'}] for container:.
   */
  namespaces: { type: 'network'; path?: string }[];
  /** Contents the engine bind-mounts at /etc/hosts, /etc/hostname, /etc/resolv.conf. */
  files: { hosts: string; hostname: string; resolvConf: string };
}

/** One network's entry in `NetworkSettings.Networks` (docker's EndpointSettings). */
export interface EndpointSettings {
  IPAMConfig: { IPv4Address: string } | null;
  Links: null;
  Aliases: string[] | null;
  MacAddress: string;
  DriverOpts: null;
  NetworkID: string;
  EndpointID: string;
  Gateway: string;
  IPAddress: string;
  IPPrefixLen: number;
  IPv6Gateway: string;
  GlobalIPv6Address: string;
  GlobalIPv6PrefixLen: number;
  DNSNames: string[] | null;
}

export interface PortBinding {
  HostIp: string;
  HostPort: string;
}

/** docker inspect's NetworkSettings. The top-level address fields describe the default network. */
export interface NetworkSettings {
  Bridge: string;
  SandboxID: string;
  SandboxKey: string;
  HairpinMode: boolean;
  LinkLocalIPv6Address: string;
  LinkLocalIPv6PrefixLen: number;
  /** "80/tcp" -> bindings; null for an exposed port that is not published. */
  Ports: Record<string, PortBinding[] | null>;
  SecondaryIPAddresses: null;
  SecondaryIPv6Addresses: null;
  EndpointID: string;
  Gateway: string;
  GlobalIPv6Address: string;
  GlobalIPv6PrefixLen: number;
  IPAddress: string;
  IPPrefixLen: number;
  IPv6Gateway: string;
  MacAddress: string;
  Networks: Record<string, EndpointSettings>;
}
