// Docker's container create body (Config + HostConfig + NetworkingConfig, as POST /containers/create
// takes it) to the engine's CreateRequest. The engine stores Binds, PortBindings and mounts in
// docker's flag vocabulary today, so the body's typed values become those specs here, each one
// checked; fields vessel cannot honour yet come back as warnings instead of being dropped silently.
import type { ContainerCreateRequest, HostConfig, Mount } from '../api-types.js';
import { emptyRequest, type CreateRequest } from '../config/request.js';
import { portSpecsOf } from '../config/port-bindings.js';
import { EngineError } from '../errors.js';

export interface CreateBody extends ContainerCreateRequest {
  /** the container's name (docker's `name` query parameter) */
  name?: string;
}

/** HostConfig fields vessel has no mechanism for yet: given a non-empty value, a warning says so. */
const UNSUPPORTED_HOST_FIELDS = [
  'Devices', 'DeviceRequests', 'DeviceCgroupRules', 'Links', 'VolumesFrom', 'GroupAdd', 'IpcMode', 'PidMode', 'UTSMode',
  'UsernsMode', 'CgroupParent', 'CgroupnsMode', 'ShmSize', 'OomScoreAdj', 'OomKillDisable', 'MemoryReservation',
  'MemorySwappiness', 'CpuPeriod', 'CpuQuota', 'CpusetMems', 'BlkioWeightDevice', 'BlkioDeviceReadBps',
  'BlkioDeviceWriteBps', 'BlkioDeviceReadIOps', 'BlkioDeviceWriteIOps', 'StorageOpt', 'Annotations',
] as const;

const present = (v: unknown): boolean => v !== undefined && v !== null && v !== '' && v !== 0 && v !== false && !(Array.isArray(v) && v.length === 0) && !(typeof v === 'object' && !Array.isArray(v) && Object.keys(v).length === 0);

const invalid = (message: string, object: string) => new EngineError('INVALID_OPTION', message, object);

/** A docker Mount object as the `--mount` spec the engine parses. */
export function mountSpec(m: Mount): string {
  if (!m.Target) throw invalid('invalid mount config: Target must not be empty', JSON.stringify(m));
  const type = m.Type ?? 'volume';
  if (type !== 'bind' && type !== 'volume' && type !== 'tmpfs') throw invalid(`invalid mount config for type "${type}": mount type unknown`, type);
  for (const [k, v] of [['Target', m.Target], ['Source', m.Source ?? '']] as const) {
    if (v.includes(',')) throw invalid(`invalid mount config: ${k} must not contain a comma`, v);
  }
  const parts = [`type=${type}`, `target=${m.Target}`];
  if (m.Source) parts.push(`source=${m.Source}`);
  if (m.ReadOnly) parts.push('readonly');
  if (m.BindOptions?.Propagation) parts.push(`bind-propagation=${m.BindOptions.Propagation}`);
  if (m.TmpfsOptions?.SizeBytes) parts.push(`tmpfs-size=${m.TmpfsOptions.SizeBytes}`);
  if (m.TmpfsOptions?.Mode) parts.push(`tmpfs-mode=${m.TmpfsOptions.Mode.toString(8)}`);
  return parts.join(',');
}

/** The address and aliases asked for on the container's own network. */
function endpointOf(body: CreateBody, mode: string): { ip?: string; aliases: string[] } {
  const configs = body.NetworkingConfig?.EndpointsConfig ?? {};
  const names = Object.keys(configs);
  if (names.length > 1) throw invalid('Container cannot be connected to network endpoints: ' + names.join(', '), names.join(','));
  const ep = configs[mode] ?? (names.length === 1 ? configs[names[0]!] : undefined);
  const ip = ep?.IPAMConfig?.IPv4Address;
  return { ...(ip ? { ip } : {}), aliases: ep?.Aliases ?? [] };
}

export function requestFromBody(body: CreateBody): { req: CreateRequest; warnings: string[] } {
  if (!body.Image) throw invalid('No image specified', '');
  const h: HostConfig = body.HostConfig ?? {};
  const warnings = UNSUPPORTED_HOST_FIELDS.filter((f) => present(h[f])).map((f) => `HostConfig.${f} is not supported by vessel yet and was ignored`);
  // docker's CLI sends `default`; the daemon records the network it means
  const mode = !h.NetworkMode || h.NetworkMode === 'default' ? 'bridge' : h.NetworkMode;
  const endpoint = endpointOf(body, mode);
  const restart = h.RestartPolicy?.Name ? (h.RestartPolicy.Name === 'on-failure' && h.RestartPolicy.MaximumRetryCount ? `on-failure:${h.RestartPolicy.MaximumRetryCount}` : h.RestartPolicy.Name) : undefined;
  const entrypoint = body.Entrypoint == null ? undefined : body.Entrypoint.length === 0 || (body.Entrypoint.length === 1 && body.Entrypoint[0] === '') ? '' : body.Entrypoint;
  const req: CreateRequest = {
    ...emptyRequest(body.Image),
    cmd: body.Cmd ?? [],
    ...(body.name ? { name: body.name } : {}),
    ...(entrypoint !== undefined ? { entrypoint } : {}),
    env: body.Env ?? [],
    ...(body.WorkingDir ? { workdir: body.WorkingDir } : {}),
    ...(body.User ? { user: body.User } : {}),
    ...(body.Hostname ? { hostname: body.Hostname } : {}),
    tty: body.Tty ?? false,
    interactive: body.OpenStdin ?? false,
    labels: Object.entries(body.Labels ?? {}).map(([k, v]) => `${k}=${v}`),
    exposedPorts: Object.keys(body.ExposedPorts ?? {}),
    // anonymous volumes (`-v /data`) come in Config.Volumes
    volumes: [...(h.Binds ?? []), ...Object.keys(body.Volumes ?? {})],
    mounts: (h.Mounts ?? []).map(mountSpec),
    tmpfs: Object.entries(h.Tmpfs ?? {}).map(([path, opts]) => (opts ? `${path}:${opts}` : path)),
    network: mode,
    ...(endpoint.ip ? { ip: endpoint.ip } : {}),
    networkAliases: endpoint.aliases,
    publish: portSpecsOf(h.PortBindings ?? undefined),
    publishAll: h.PublishAllPorts ?? false,
    dns: h.Dns ?? [],
    dnsSearch: h.DnsSearch ?? [],
    dnsOptions: h.DnsOptions ?? [],
    addHosts: h.ExtraHosts ?? [],
    capAdd: h.CapAdd ?? [],
    capDrop: h.CapDrop ?? [],
    privileged: h.Privileged ?? false,
    readOnly: h.ReadonlyRootfs ?? false,
    securityOpt: h.SecurityOpt ?? [],
    ...(h.Memory ? { memory: String(h.Memory) } : {}),
    ...(h.MemorySwap ? { memorySwap: String(h.MemorySwap) } : {}),
    ...(h.NanoCpus ? { cpus: String(h.NanoCpus / 1e9) } : {}),
    ...(h.CpuShares ? { cpuShares: h.CpuShares } : {}),
    ...(h.CpusetCpus ? { cpusetCpus: h.CpusetCpus } : {}),
    ...(h.PidsLimit ? { pidsLimit: h.PidsLimit } : {}),
    ...(h.BlkioWeight ? { blkioWeight: h.BlkioWeight } : {}),
    ulimits: (h.Ulimits ?? []).map((u) => `${u.Name}=${u.Soft}:${u.Hard}`),
    sysctls: Object.entries(h.Sysctls ?? {}).map(([k, v]) => `${k}=${v}`),
    init: h.Init ?? false,
    ...(body.StopSignal ? { stopSignal: body.StopSignal } : {}),
    ...(body.StopTimeout != null ? { stopTimeout: body.StopTimeout } : {}),
    ...(restart ? { restart } : {}),
    autoRemove: h.AutoRemove ?? false,
    ...(h.Runtime ? { runtime: h.Runtime } : {}),
  };
  return { req, warnings };
}
