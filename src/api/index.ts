// The Engine API server over one engine root: the route groups and the server that serves them.
import type { Engine } from '../engine/engine.js';
import { systemInfo } from '../engine/system/info.js';
import { versionInfo } from '../engine/system/version.js';
import { systemRoutes } from './routes/system.js';
import { ApiServer, type ServerOptions } from './server.js';

export { ApiServer } from './server.js';
export { DEFAULT_SOCKET } from './listeners.js';

export function serveEngine(engine: Engine, version: string, opts: Omit<ServerOptions, 'routes' | 'version'>): ApiServer {
  const routes = [
    ...systemRoutes({
      info: () => ({ ...systemInfo(engine), ServerVersion: version }) as unknown as Record<string, unknown>,
      version: () => ({ version, components: versionInfo(version).Server.Components }),
    }),
  ];
  return new ApiServer({ ...opts, routes, version });
}
