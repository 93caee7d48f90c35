// The network layer's public API for the engine.
export { attachContainer, containerEndpoints, detachAll, detachContainer, hostIfName, type AttachOptions, type AttachResult, type DetachOptions } from './endpoint.js';
export { createNetwork, ensureNetwork, listNetworks, parseNetworkMode, pruneNetworks, removeNetwork, type NetworkMode } from './networks.js';
export { DEFAULT_BRIDGE, DEFAULT_NETWORK, defaultBridgeName, type NetworkSpec } from './ipam.js';
export { getNetwork, listEndpoints, requireNetwork, type EndpointRecord, type NetworkRecord } from './records.js';
export { exposedPortMappings, formatPort, parsePortSpec, type PortMapping, type PortProtocol, type PublishedPort } from './ports.js';
export { extraHostEntries, hostsFile, parseAddHost, type HostsEntry, type HostsOptions } from './etc/hosts.js';
export { hostnameFile } from './etc/hostname.js';
export { parseResolvConf, resolvConfFile, type ResolvConf, type ResolvConfOptions } from './etc/resolvconf.js';
export { macFromIPv4 } from './mac.js';
export { NetworkError, type NetworkErrorCode } from './errors.js';
export { systemDeps, type NetworkDeps } from './deps.js';
