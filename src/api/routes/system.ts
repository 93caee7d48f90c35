// System routes: /_ping (GET and HEAD: how clients negotiate the API version), /version, /info.
import { arch, release } from 'node:os';
import type { Route } from '../router.js';
import { MAX_API_VERSION, MIN_API_VERSION } from '../version.js';

export interface SystemBackend {
  /** docker's SystemInfo */
  info(): Promise<Record<string, unknown>> | Record<string, unknown>;
  /** vessel's version and its components' */
  version(): Promise<{ version: string; components: { Name: string; Version: string }[] }>;
}

const goArch = () => (arch() === 'x64' ? 'amd64' : arch());

export function systemRoutes(backend: SystemBackend): Route[] {
  const ping: Route['handler'] = (ctx) => {
    // Builder-Version 1: the classic builder (POST /build with a tar context); vessel does not
    // speak BuildKit's session protocol, so clients must not choose it by default
    ctx.send(200, 'OK', 'text/plain; charset=utf-8', {
      'Builder-Version': '1',
      'Cache-Control': 'no-cache, no-store, must-revalidate',
      Pragma: 'no-cache',
      Swarm: 'inactive',
    });
  };
  return [
    { method: 'GET', pattern: '/_ping', handler: ping },
    { method: 'HEAD', pattern: '/_ping', handler: ping },
    {
      method: 'GET',
      pattern: '/version',
      handler: async (ctx) => {
        const v = await backend.version();
        const details = { ApiVersion: MAX_API_VERSION, MinAPIVersion: MIN_API_VERSION, Os: 'linux', Arch: goArch(), KernelVersion: release() };
        ctx.reply(200, {
          Platform: { Name: 'vessel' },
          Components: [{ Name: 'Engine', Version: v.version, Details: details }, ...v.components.filter((c) => c.Name !== 'Engine').map((c) => ({ ...c, Details: {} }))],
          Version: v.version,
          ApiVersion: MAX_API_VERSION,
          MinAPIVersion: MIN_API_VERSION,
          GitCommit: '',
          GoVersion: '',
          Os: 'linux',
          Arch: goArch(),
          KernelVersion: release(),
          BuildTime: '',
        });
      },
    },
    { method: 'GET', pattern: '/info', handler: async (ctx) => ctx.reply(200, await backend.info()) },
  ];
}
