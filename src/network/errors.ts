// Typed errors of the network layer: a stable `code`, the object concerned and the cause.

export type NetworkErrorCode =
  | 'NETLINK_FAILED'
  | 'NETWORK_NOT_FOUND'
  | 'NETWORK_EXISTS'
  | 'NETWORK_IN_USE'
  | 'SUBNET_OVERLAP'
  | 'SUBNET_POOL_EXHAUSTED'
  | 'INVALID_ADDRESS'
  | 'INVALID_OPTION'
  | 'ADDRESS_EXHAUSTED'
  | 'ADDRESS_IN_USE'
  | 'ENDPOINT_EXISTS'
  | 'ENDPOINT_NOT_FOUND'
  | 'INVALID_PORT_SPEC'
  | 'PORT_IN_USE'
  | 'FIREWALL_FAILED'
  | 'ATTACH_FAILED';

export class NetworkError extends Error {
  override readonly name = 'NetworkError';
  constructor(
    readonly code: NetworkErrorCode,
    message: string,
    /** What the error is about: a network name, an address, a link, a rule. */
    readonly object?: string,
    options?: { cause?: unknown },
  ) {
    super(message, options);
  }
}
