// The Engine API server over one engine root: the route groups, each over the engine facade, and
// the server that serves them.
import type { Vessel } from '../engine/vessel.js';
import { systemRoutes } from './routes/system.js';
import { ApiServer, type ServerOptions } from './server.js';

export { ApiServer } from './server.js';
export { DEFAULT_SOCKET } from './listeners.js';

export function serveVessel(vessel: Vessel, version: string, opts: Omit<ServerOptions, 'routes' | 'version'>): ApiServer {
  const routes = [
    ...systemRoutes({
      info: async () => ({ ...(await vessel.system.info()), ServerVersion: version }) as unknown as Record<string, unknown>,
      version: async () => ({ version, components: (await vessel.system.version()).Server.Components }),
    }),
  ];
  return new ApiServer({ ...opts, routes, version });
}
