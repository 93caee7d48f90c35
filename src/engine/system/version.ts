// `version`: vessel's, its runtime's and node's versions; daemonless, so client and server are
// the same program and there is no API version.
import { arch, type } from 'node:os';
import { VERSION as RUNTIME_VERSION } from '../../runtime/index.js';

/** vessel's version, for front ends that print their own. */
export { VERSION } from '../../runtime/index.js';

export interface VersionInfo {
  Client: { Version: string; ApiVersion: string; NodeVersion: string; Os: string; Arch: string };
  Server: { Version: string; ApiVersion: string; Components: { Name: string; Version: string }[]; Os: string; Arch: string };
}

export function versionInfo(vesselVersion: string): VersionInfo {
  const os = type().toLowerCase();
  const cpu = arch() === 'x64' ? 'amd64' : arch();
  return {
    Client: { Version: vesselVersion, ApiVersion: 'n/a', NodeVersion: process.version, Os: os, Arch: cpu },
    Server: {
      Version: vesselVersion,
      ApiVersion: 'n/a',
      Components: [
        { Name: 'Engine', Version: vesselVersion },
        { Name: 'vessel-runtime', Version: RUNTIME_VERSION },
        { Name: 'node', Version: process.version },
      ],
      Os: os,
      Arch: cpu,
    },
  };
}
