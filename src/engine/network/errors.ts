// Errors of the engine's networking glue; the network library's own errors pass through as they are.
export type ContainerNetworkErrorCode = 'INVALID_NETWORK_MODE' | 'CONFLICTING_OPTIONS' | 'CONTAINER_NOT_RUNNING' | 'NOT_CONNECTED' | 'ALREADY_CONNECTED' | 'PORT_IN_USE' | 'CONNECT_FAILED';

export class ContainerNetworkError extends Error {
  override readonly name = 'ContainerNetworkError';
  constructor(
    readonly code: ContainerNetworkErrorCode,
    message: string,
    /** The container or network concerned. */
    readonly object: string,
    options?: { cause?: unknown },
  ) {
    super(message, options);
  }
}
