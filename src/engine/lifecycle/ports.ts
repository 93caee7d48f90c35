// `port`: a container's published ports, from the NetworkSettings recorded when it connected.
import type { Engine } from '../engine.js';
import { EngineError } from '../errors.js';
import type { NetworkSettings, PortBinding } from '../network/index.js';
import { liveState } from './status.js';

export interface PortMappingLine {
  /** "80/tcp" */
  containerPort: string;
  hostIp: string;
  hostPort: string;
}

/** Every binding, or those of `privatePort` ("80" means 80/tcp, as in docker). */
export function containerPortMappings(engine: Engine, ref: string, privatePort?: string): PortMappingLine[] {
  const rec = engine.containers.resolve(ref);
  const status = liveState(engine, rec).status;
  const ports: Record<string, PortBinding[] | null> = status === 'running' || status === 'paused' ? ((rec.networkSettings as Partial<NetworkSettings> | null)?.Ports ?? {}) : {};
  const wanted = privatePort === undefined ? undefined : privatePort.includes('/') ? privatePort : `${privatePort}/tcp`;
  const keys = Object.keys(ports).filter((k) => wanted === undefined || k === wanted);
  if (wanted !== undefined && !keys.some((k) => ports[k]?.length)) {
    throw new EngineError('INVALID_OPTION', `No public port '${wanted}' published for ${rec.name}`, rec.id);
  }
  const byPort = (k: string) => Number(k.split('/')[0]);
  return keys
    .sort((a, b) => byPort(a) - byPort(b) || a.localeCompare(b))
    .flatMap((k) => (ports[k] ?? []).map((b) => ({ containerPort: k, hostIp: b.HostIp || '0.0.0.0', hostPort: b.HostPort })));
}
