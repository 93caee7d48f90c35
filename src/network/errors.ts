// Typed errors of the network layer: a stable `code`, the object concerned and the cause.
import { VesselError, type ErrorStatus } from '../vessel-error.js';

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

const STATUS: Record<NetworkErrorCode, ErrorStatus> = {
  NETLINK_FAILED: 'system',
  NETWORK_NOT_FOUND: 'notFound',
  NETWORK_EXISTS: 'conflict',
  NETWORK_IN_USE: 'conflict',
  SUBNET_OVERLAP: 'invalidParameter',
  SUBNET_POOL_EXHAUSTED: 'unavailable',
  INVALID_ADDRESS: 'invalidParameter',
  INVALID_OPTION: 'invalidParameter',
  ADDRESS_EXHAUSTED: 'unavailable',
  ADDRESS_IN_USE: 'conflict',
  ENDPOINT_EXISTS: 'conflict',
  ENDPOINT_NOT_FOUND: 'notFound',
  INVALID_PORT_SPEC: 'invalidParameter',
  PORT_IN_USE: 'conflict',
  FIREWALL_FAILED: 'system',
  ATTACH_FAILED: 'system',
};

export class NetworkError extends VesselError {
  override readonly name = 'NetworkError';
  constructor(
    readonly code: NetworkErrorCode,
    message: string,
    /** What the error is about: a network name, an address, a link, a rule. */
    object?: string,
    options?: { cause?: unknown },
  ) {
    super(message, { status: STATUS[code], object, cause: options?.cause });
  }
}
