// Container networking for the engine: plan before create, connect after the namespace exists,
// disconnect at stop, forget at removal; `network connect`/`disconnect`; inspect's view.
// Name resolution on user networks is the embedded resolver (src/network/dns), started on demand.
export { planContainerNetwork } from './plan.js';
export { connectContainerNetwork, connectNetwork, disconnectContainerNetwork, disconnectNetwork, forgetContainerNetwork, type ConnectOptions } from './connect.js';
export { containerNetworkSettings } from './settings.js';
export { checkEndpointPreset, presetEndpoint, type EndpointPreset } from './preset.js';
export { ContainerNetworkError, type ContainerNetworkErrorCode } from './errors.js';
export { linkedContainers } from './config.js';
export { connectContainer, createUserNetwork, disconnectContainer, pruneUserNetworks, removeUserNetwork } from './networks.js';
export type { ContainerNetworkPlan, ContainerNetworkRequest, ContainerRef, EndpointSettings, NetworkSettings, PortBinding } from './types.js';
