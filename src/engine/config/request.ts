// What `vessel create`/`run` ask the engine for, in docker's flag vocabulary, and how it becomes
// the stored Config and HostConfig with the image's config applied the way docker applies it.
import type { ContainerConfig as ImageContainerConfig } from '../../image/manifest.js';
import { EngineError } from '../errors.js';
import { BUILTIN_RUNTIME, checkRuntime } from '../runtime-backend/index.js';
import { expandEnv, mergeEnv, parseBytes, parseCpus, parseKeyValues, parseMountFlag, parseRestart, parseTmpfsFlag, parseUlimit, parseVolumeFlag } from './parse.js';
import type { ContainerConfig, HostConfig } from './types.js';

export interface CreateRequest {
  image: string;
  /** the command after the image name */
  cmd: string[];
  name?: string;
  /** `--entrypoint` (or the API's array): "" clears the image's */
  entrypoint?: string | string[];
  env: string[];
  /** contents of the --env-file files, already read */
  envFileEntries: string[];
  workdir?: string;
  user?: string;
  hostname?: string;
  tty: boolean;
  interactive: boolean;
  labels: string[];
  /** ports ("80/tcp") exposed besides the image's: docker adds every `-p` port */
  exposedPorts?: string[];
  volumes: string[];
  mounts: string[];
  tmpfs: string[];
  network?: string;
  /** --ip: the address on the container's own (user) network */
  ip?: string;
  /** --network-alias */
  networkAliases?: string[];
  publish: string[];
  publishAll: boolean;
  dns: string[];
  dnsSearch: string[];
  dnsOptions: string[];
  addHosts: string[];
  capAdd: string[];
  capDrop: string[];
  privileged: boolean;
  readOnly: boolean;
  securityOpt: string[];
  memory?: string;
  memorySwap?: string;
  cpus?: string;
  cpuShares?: number;
  cpusetCpus?: string;
  pidsLimit?: number;
  blkioWeight?: number;
  ulimits: string[];
  sysctls: string[];
  init: boolean;
  stopSignal?: string;
  stopTimeout?: number;
  restart?: string;
  autoRemove: boolean;
  runtime?: string;
}

/** -m and --memory-swap as docker checks and stores them: swap (memory plus swap) defaults to twice
 * the memory, -1 is unlimited, and it is never below the memory. */
function memorySettings(memory: string | undefined, memorySwap: string | undefined): { Memory: number; MemorySwap: number } {
  const limit = memory ? parseBytes('--memory', memory) : 0;
  const swap = memorySwap ? parseBytes('--memory-swap', memorySwap) : 0;
  if (swap !== 0 && limit <= 0) throw new EngineError('INVALID_OPTION', 'You should always set the Memory limit when using Memoryswap limit, see usage', memorySwap ?? '');
  if (swap > 0 && swap < limit) throw new EngineError('INVALID_OPTION', 'Minimum memoryswap limit should be larger than memory limit, see usage', memorySwap ?? '');
  return { Memory: limit, MemorySwap: limit > 0 && swap === 0 ? limit * 2 : swap };
}

export function emptyRequest(image: string): CreateRequest {
  return {
    image, cmd: [], env: [], envFileEntries: [], tty: false, interactive: false, labels: [], volumes: [], mounts: [], tmpfs: [],
    publish: [], publishAll: false, dns: [], dnsSearch: [], dnsOptions: [], addHosts: [], capAdd: [], capDrop: [],
    privileged: false, readOnly: false, securityOpt: [], ulimits: [], sysctls: [], init: false, autoRemove: false,
  };
}

const DEFAULT_PATH = 'PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin';

function labelsOf(values: string[]): Record<string, string> {
  const out: Record<string, string> = {};
  for (const v of values) {
    const eq = v.indexOf('=');
    out[eq < 0 ? v : v.slice(0, eq)] = eq < 0 ? '' : v.slice(eq + 1);
  }
  return out;
}

export function buildConfigs(req: CreateRequest, image: ImageContainerConfig, hostEnv: NodeJS.ProcessEnv = process.env): { config: ContainerConfig; hostConfig: HostConfig } {
  const entrypointOverridden = req.entrypoint !== undefined;
  const entrypoint = entrypointOverridden ? (Array.isArray(req.entrypoint) ? req.entrypoint : req.entrypoint ? [req.entrypoint] : null) : image.Entrypoint ?? null;
  // docker drops the image's Cmd when --entrypoint is given
  const cmd = req.cmd.length ? req.cmd : entrypointOverridden ? null : image.Cmd ?? null;
  if (!(entrypoint?.length || cmd?.length)) throw new EngineError('NO_COMMAND', 'No command specified', req.image);
  const imageEnv = image.Env ?? [];
  const env = mergeEnv(imageEnv.some((e) => e.startsWith('PATH=')) ? [] : [DEFAULT_PATH], imageEnv, req.envFileEntries, req.env.flatMap((e) => expandEnv(e, hostEnv)));
  if (req.tty && !env.some((e) => e.startsWith('TERM='))) env.push('TERM=xterm');
  const restart = parseRestart(req.restart);
  if (req.autoRemove && restart.Name !== '' && restart.Name !== 'no') {
    throw new EngineError('INVALID_OPTION', 'Conflicting options: --restart and --rm', req.restart ?? '');
  }
  const mounts = [...req.volumes.map(parseVolumeFlag), ...req.mounts.map(parseMountFlag)];
  const tmpfs = Object.fromEntries(req.tmpfs.map(parseTmpfsFlag));
  const config: ContainerConfig = {
    Hostname: req.hostname ?? '',
    Domainname: '',
    User: req.user ?? image.User ?? '',
    AttachStdin: req.interactive,
    AttachStdout: true,
    AttachStderr: true,
    ...(image.ExposedPorts || req.exposedPorts?.length ? { ExposedPorts: { ...image.ExposedPorts, ...Object.fromEntries((req.exposedPorts ?? []).map((p) => [p, {}])) } } : {}),
    Tty: req.tty,
    OpenStdin: req.interactive,
    StdinOnce: req.interactive,
    Env: env,
    Cmd: cmd,
    Image: req.image,
    Volumes: image.Volumes ?? null,
    WorkingDir: req.workdir ?? image.WorkingDir ?? '',
    Entrypoint: entrypoint,
    Labels: { ...(image.Labels ?? {}), ...labelsOf(req.labels) },
    ...(req.stopSignal ?? image.StopSignal ? { StopSignal: req.stopSignal ?? image.StopSignal } : {}),
    ...(req.stopTimeout !== undefined ? { StopTimeout: req.stopTimeout } : {}),
  };
  const hostConfig: HostConfig = {
    Binds: req.volumes,
    NetworkMode: req.network ?? 'bridge',
    PortBindings: req.publish,
    PublishAllPorts: req.publishAll,
    RestartPolicy: restart,
    AutoRemove: req.autoRemove,
    Mounts: mounts,
    CapAdd: req.capAdd,
    CapDrop: req.capDrop,
    Dns: req.dns,
    DnsOptions: req.dnsOptions,
    DnsSearch: req.dnsSearch,
    ExtraHosts: req.addHosts,
    Privileged: req.privileged,
    ReadonlyRootfs: req.readOnly,
    SecurityOpt: req.securityOpt,
    Tmpfs: tmpfs,
    Init: req.init,
    Runtime: req.runtime ?? BUILTIN_RUNTIME,
    Sysctls: parseKeyValues('--sysctl', req.sysctls),
    ...memorySettings(req.memory, req.memorySwap),
    NanoCpus: req.cpus ? parseCpus(req.cpus) : 0,
    CpuShares: req.cpuShares ?? 0,
    CpusetCpus: req.cpusetCpus ?? '',
    PidsLimit: req.pidsLimit ?? 0,
    BlkioWeight: req.blkioWeight ?? 0,
    Ulimits: req.ulimits.map(parseUlimit),
  };
  try {
    checkRuntime(hostConfig.Runtime);
  } catch (cause) {
    throw new EngineError('INVALID_OPTION', (cause as Error).message, hostConfig.Runtime, { cause });
  }
  return { config, hostConfig };
}
