// A registry client for a reference, with the credentials `vessel login` saved for its registry.
import type { StorePaths } from '../store/paths.js';
import { RegistryClient } from './client.js';
import { getCredentials } from './credentials.js';

export interface RegistryAccess {
  /** undefined: https with verification, except plain http for loopback registries */
  tlsVerify?: boolean;
}

export function clientFor(paths: StorePaths, registry: string, access: RegistryAccess = {}): RegistryClient {
  const credentials = getCredentials(paths.authFile, registry);
  return new RegistryClient(registry, {
    ...(access.tlsVerify !== undefined ? { tlsVerify: access.tlsVerify } : {}),
    ...(credentials ? { credentials } : {}),
  });
}
