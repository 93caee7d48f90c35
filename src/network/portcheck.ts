// Host ports are checked by binding them: DNAT does not hold the port, so a host process already
// listening there (or later) would silently lose its traffic to the container.
import { dgram, net } from '../sys/lazy.js';
import { NetworkError } from './errors.js';
import type { PublishedPort } from './ports.js';

function bindTcp(host: string, port: number): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = net().createServer();
    srv.once('error', reject);
    srv.listen({ host, port, exclusive: true }, () => {
      const bound = (srv.address() as { port: number }).port;
      srv.close(() => resolve(bound));
    });
  });
}

function bindUdp(host: string, port: number): Promise<number> {
  return new Promise((resolve, reject) => {
    const sock = dgram().createSocket('udp4');
    sock.once('error', reject);
    sock.bind({ address: host, port, exclusive: true }, () => {
      const bound = sock.address().port;
      sock.close(() => resolve(bound));
    });
  });
}

const BINDERS = { tcp: bindTcp, udp: bindUdp } as const;

/**
 * Confirms every host port is free, choosing a free one where hostPort is 0; `taken` rejects
 * ports already published by other containers (they hold no socket).
 */
export async function claimHostPorts(ports: PublishedPort[], taken: (p: PublishedPort) => boolean = () => false): Promise<PublishedPort[]> {
  const out: PublishedPort[] = [];
  for (const p of ports) {
    for (let attempt = 0; ; attempt++) {
      let port: number;
      try {
        port = await BINDERS[p.protocol](p.hostIp, p.hostPort);
      } catch (cause) {
        throw new NetworkError('PORT_IN_USE', `host port ${p.hostIp}:${p.hostPort}/${p.protocol} is not available: ${(cause as Error).message}`, `${p.hostIp}:${p.hostPort}/${p.protocol}`, { cause });
      }
      const claimed = { ...p, hostPort: port };
      const duplicate = out.some((q) => q.protocol === p.protocol && q.hostPort === port);
      if (!taken(claimed) && !duplicate) {
        out.push(claimed);
        break;
      }
      if (p.hostPort !== 0 || attempt > 20) {
        throw new NetworkError('PORT_IN_USE', `host port ${p.hostIp}:${port}/${p.protocol} is already published`, `${p.hostIp}:${port}/${p.protocol}`);
      }
    }
  }
  return out;
}
