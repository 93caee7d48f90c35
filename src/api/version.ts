// Docker's API version negotiation: a request path may carry `/vX.Y`; without one the server's
// newest version applies. Clients read the `Api-Version` header of `/_ping` and then use
// min(their newest, ours), so the range below is what every docker client from 1.13 on can speak.
import { ApiError } from './errors.js';

export const MIN_API_VERSION = '1.24';
export const MAX_API_VERSION = '1.50';

export interface VersionedPath {
  /** the request's API version (the newest when the path has none) */
  version: string;
  /** the path without its version prefix */
  path: string;
}

const PREFIX = /^\/v(\d+\.\d+)(\/.*)$/;

/** Compares two `major.minor` versions numerically (1.9 < 1.24). */
export function compareVersions(a: string, b: string): number {
  const [am, an] = a.split('.').map(Number) as [number, number];
  const [bm, bn] = b.split('.').map(Number) as [number, number];
  return am - bm || an - bn;
}

export function splitVersion(pathname: string): VersionedPath {
  const m = PREFIX.exec(pathname);
  if (!m) return { version: MAX_API_VERSION, path: pathname };
  const version = m[1]!;
  if (compareVersions(version, MAX_API_VERSION) > 0) {
    throw ApiError.invalid(`client version ${version} is too new. Maximum supported API version is ${MAX_API_VERSION}`);
  }
  if (compareVersions(version, MIN_API_VERSION) < 0) {
    throw ApiError.invalid(`client version ${version} is too old. Minimum supported API version is ${MIN_API_VERSION}, please upgrade your client to a newer version`);
  }
  return { version, path: m[2]! };
}
