// The user-mode network stacks a rootless container can have, and how each is started: pasta
// (Debian's passt: it copies the host's addresses and routes into the namespace and forwards
// through host sockets, the faster modern choice) or slirp4netns (a whole TCP/IP stack in user
// space on 10.0.2.0/24, ports forwarded through its API socket). Both join the container's user
// and network namespaces through the pid of a process in them.
import { accessSync, constants } from 'node:fs';
import { delimiter, join } from 'node:path';
import { UserModeNetworkError } from './errors.js';

export type UserModeStack = 'pasta' | 'slirp4netns';

export interface PortForward {
  proto: 'tcp' | 'udp';
  /** The host address to listen on; all of them when absent. */
  hostIp?: string;
  hostPort: number;
  containerPort: number;
}

/** Best first. */
const PREFERENCE: UserModeStack[] = ['pasta', 'slirp4netns'];
const PACKAGES: Record<UserModeStack, string> = { pasta: 'passt', slirp4netns: 'slirp4netns' };

export function findProgram(name: string, path = process.env.PATH ?? ''): string | undefined {
  for (const dir of path.split(delimiter)) {
    if (!dir) continue;
    try {
      accessSync(join(dir, name), constants.X_OK);
      return join(dir, name);
    } catch {
      // not here
    }
  }
  return undefined;
}

/** The stack to use: `wanted` if given and installed, else the best one installed. */
export function chooseStack(wanted?: UserModeStack, path?: string): { stack: UserModeStack; program: string } {
  for (const stack of wanted ? [wanted] : PREFERENCE) {
    const program = findProgram(stack, path);
    if (program) return { stack, program };
  }
  const missing = wanted ? `${wanted} is not installed (Debian's ${PACKAGES[wanted]} package)` : 'neither pasta (Debian\'s passt package) nor slirp4netns is installed';
  throw new UserModeNetworkError('USERMODE_UNAVAILABLE', `no user-mode network for a rootless container: ${missing}`, wanted);
}

function portSpec(p: PortForward): string {
  return `${p.hostIp ? `${p.hostIp}/` : ''}${p.hostPort}:${p.containerPort}`;
}

/**
 * pasta's arguments: configure the namespace, forward exactly the published ports (nothing from
 * the container to the host's own ports, and the gateway address not mapped to the host: a
 * container must not reach the host's loopback services), run in the foreground (the caller
 * detaches it), quiet.
 */
export function pastaArgs(pid: number, ports: PortForward[]): string[] {
  const args = ['--config-net', '--foreground', '--quiet', '--no-map-gw', '-T', 'none', '-U', 'none'];
  for (const proto of ['tcp', 'udp'] as const) {
    const flag = proto === 'tcp' ? '-t' : '-u';
    const specs = ports.filter((p) => p.proto === proto).map(portSpec);
    if (specs.length === 0) args.push(flag, 'none');
    for (const s of specs) args.push(flag, s);
  }
  args.push(String(pid));
  return args;
}

/** slirp4netns's arguments: configure tap0 (10.0.2.100/24), no access to the host's loopback. */
export function slirp4netnsArgs(pid: number, apiSocket: string): string[] {
  return ['--configure', '--mtu=65520', '--disable-host-loopback', '--api-socket', apiSocket, String(pid), 'tap0'];
}

/** The resolvers a container should use: slirp4netns answers on 10.0.2.3; with pasta the host's own work. */
export function stackNameservers(stack: UserModeStack): string[] | undefined {
  return stack === 'slirp4netns' ? ['10.0.2.3'] : undefined;
}
