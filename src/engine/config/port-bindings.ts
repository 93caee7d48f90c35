// `-p` specs and docker's PortBindings map, both ways. The map is what the Engine API carries
// (`{"80/tcp": [{"HostIp": "", "HostPort": "8080"}]}`); the spec strings are what the engine stores
// until its HostConfig takes docker's shapes.
import { parsePortSpec } from '../../network/ports.js';
import type { PortMap } from '../api-types.js';

/** `-p` values as docker's CLI sends them: one PortBindings entry per container port, each port
 * also in ExposedPorts. Throws the network layer's INVALID_PORT_SPEC error for a bad spec. */
export function portBindingsOf(specs: string[]): { PortBindings: PortMap; ExposedPorts: Record<string, object> } {
  const PortBindings: PortMap = {};
  const ExposedPorts: Record<string, object> = {};
  for (const spec of specs) {
    const hostIp = spec.split('/')[0]!.split(':').length === 3 ? spec.split(':')[0]! : '';
    for (const p of parsePortSpec(spec)) {
      const key = `${p.containerPort}/${p.protocol}`;
      ExposedPorts[key] = {};
      (PortBindings[key] ??= []).push({ HostIp: hostIp, HostPort: p.hostPort ? String(p.hostPort) : '' });
    }
  }
  return { PortBindings, ExposedPorts };
}

/** docker's PortBindings map back to `-p` specs, each checked. */
export function portSpecsOf(bindings: PortMap | undefined): string[] {
  const specs: string[] = [];
  for (const [key, list] of Object.entries(bindings ?? {})) {
    for (const b of list ?? [{}]) {
      const spec = b.HostIp ? `${b.HostIp}:${b.HostPort ?? ''}:${key}` : b.HostPort ? `${b.HostPort}:${key}` : key;
      parsePortSpec(spec);
      specs.push(spec);
    }
  }
  return specs;
}
