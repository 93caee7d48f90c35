// A rootless container's network without root: pasta or slirp4netns, the best one installed.
export { UserModeNetworkError, type UserModeErrorCode } from './errors.js';
export { chooseStack, pastaArgs, slirp4netnsArgs, type PortForward, type UserModeStack } from './stacks.js';
export { startUserModeNetwork, type UserModeNetwork, type UserModeRequest } from './start.js';
