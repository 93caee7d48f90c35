// Kernel parameters the bridge networks need, written through /proc/sys.
import { readFileSync, writeFileSync } from 'node:fs';
import { activeTracer } from '../../trace/active.js';
import { NetworkError } from '../errors.js';

/** `parts` are the path components, since an interface name may itself contain dots. */
function setSysctl(parts: string[], value: string): void {
  const path = `/proc/sys/${parts.join('/')}`;
  const key = parts.join('.');
  try {
    if (readFileSync(path, 'utf8').trim() === value) return;
    activeTracer().span('network', 'write', `${path} = ${value}`, () => writeFileSync(path, value));
  } catch (cause) {
    throw new NetworkError('FIREWALL_FAILED', `cannot set ${key}=${value}: ${(cause as Error).message}`, key, { cause });
  }
}

export function enableIpForwarding(): void {
  setSysctl(['net', 'ipv4', 'ip_forward'], '1');
}

/**
 * Lets DNATed packets from 127.0.0.1 leave through the bridge (they are then MASQUERADEd to the
 * gateway address), so published ports answer on the host's loopback without a proxy process.
 */
export function enableRouteLocalnet(bridge: string): void {
  setSysctl(['net', 'ipv4', 'conf', bridge, 'route_localnet'], '1');
}
