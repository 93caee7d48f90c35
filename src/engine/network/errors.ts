// Errors of the engine's networking glue; the network library's own errors pass through as they are.
import { VesselError, type ErrorStatus } from '../../vessel-error.js';
export type ContainerNetworkErrorCode = 'INVALID_NETWORK_MODE' | 'CONFLICTING_OPTIONS' | 'CONTAINER_NOT_RUNNING' | 'NOT_CONNECTED' | 'ALREADY_CONNECTED' | 'PORT_IN_USE' | 'CONNECT_FAILED';

const STATUS: Record<ContainerNetworkErrorCode, ErrorStatus> = {
  INVALID_NETWORK_MODE: 'invalidParameter',
  CONFLICTING_OPTIONS: 'invalidParameter',
  CONTAINER_NOT_RUNNING: 'conflict',
  NOT_CONNECTED: 'conflict',
  ALREADY_CONNECTED: 'conflict',
  PORT_IN_USE: 'conflict',
  CONNECT_FAILED: 'system',
};

export class ContainerNetworkError extends VesselError {
  override readonly name = 'ContainerNetworkError';
  constructor(
    readonly code: ContainerNetworkErrorCode,
    message: string,
    /** The container or network concerned. */
    override readonly object: string,
    options?: { cause?: unknown },
  ) {
    super(message, { status: STATUS[code], object, cause: options?.cause });
  }
}
