// The flags `vessel create` and `vessel run` share, and their translation to a CreateRequest.
import { readFileSync } from 'node:fs';
import { emptyRequest, type CreateRequest } from '../../../engine/config/request.js';
import { absoluteBindSpec, absoluteMountSpec, parseEnvFile } from '../../../engine/config/parse.js';
import { validateNameResolution } from '../../../engine/config/validate.js';
import { EngineError } from '../../../engine/errors.js';
import { UsageError, type FlagSpecs, type FlagValues } from '../command.js';

export const createFlags = {
  'add-host': { type: 'strings', description: 'Add a custom host-to-IP mapping (host:ip)', valueName: 'list' },
  'blkio-weight': { type: 'int', description: 'Block IO (relative weight), between 10 and 1000', valueName: 'uint16' },
  'cap-add': { type: 'strings', description: 'Add Linux capabilities', valueName: 'list' },
  'cap-drop': { type: 'strings', description: 'Drop Linux capabilities', valueName: 'list' },
  'cpu-shares': { type: 'int', short: 'c', description: 'CPU shares (relative weight)', valueName: 'int' },
  cpus: { type: 'string', description: 'Number of CPUs', valueName: 'decimal' },
  'cpuset-cpus': { type: 'string', description: 'CPUs in which to allow execution (0-3, 0,1)', valueName: 'string' },
  dns: { type: 'strings', description: 'Set custom DNS servers', valueName: 'list' },
  'dns-option': { type: 'strings', description: 'Set DNS options', valueName: 'list' },
  'dns-search': { type: 'strings', description: 'Set custom DNS search domains', valueName: 'list' },
  entrypoint: { type: 'string', description: 'Overwrite the default ENTRYPOINT of the image', valueName: 'string' },
  env: { type: 'strings', short: 'e', description: 'Set environment variables', valueName: 'list' },
  'env-file': { type: 'strings', description: 'Read in a file of environment variables', valueName: 'list' },
  hostname: { type: 'string', short: 'h', description: 'Container host name', valueName: 'string' },
  init: { type: 'bool', description: 'Run an init inside the container that forwards signals and reaps processes' },
  interactive: { type: 'bool', short: 'i', description: 'Keep STDIN open even if not attached' },
  label: { type: 'strings', short: 'l', description: 'Set meta data on a container', valueName: 'list' },
  memory: { type: 'string', short: 'm', description: 'Memory limit', valueName: 'bytes' },
  'memory-swap': { type: 'string', description: "Swap limit equal to memory plus swap: '-1' to enable unlimited swap", valueName: 'bytes' },
  mount: { type: 'strings', description: 'Attach a filesystem mount to the container', valueName: 'mount' },
  name: { type: 'string', description: 'Assign a name to the container', valueName: 'string' },
  network: { type: 'string', description: 'Connect a container to a network (bridge, host, none, NAME)', valueName: 'network' },
  'network-alias': { type: 'strings', description: 'Add network-scoped alias for the container', valueName: 'list' },
  ip: { type: 'string', description: 'IPv4 address (e.g., 172.30.100.104) on the container\'s user-defined network', valueName: 'string' },
  'pids-limit': { type: 'int', description: 'Tune container pids limit (set -1 for unlimited)', valueName: 'int' },
  privileged: { type: 'bool', description: 'Give extended privileges to this container' },
  publish: { type: 'strings', short: 'p', description: "Publish a container's port(s) to the host", valueName: 'list' },
  'publish-all': { type: 'bool', short: 'P', description: 'Publish all exposed ports to random ports' },
  pull: { type: 'string', description: 'Pull image before creating ("always", "missing", "never")', valueName: 'string', default: 'missing' },
  'read-only': { type: 'bool', description: "Mount the container's root filesystem as read only" },
  restart: { type: 'string', description: 'Restart policy to apply when a container exits', valueName: 'string', default: 'no' },
  rm: { type: 'bool', description: 'Automatically remove the container when it exits' },
  runtime: { type: 'string', description: 'Runtime to use for this container', valueName: 'string' },
  'security-opt': { type: 'strings', description: 'Security Options (seccomp=FILE|unconfined, no-new-privileges)', valueName: 'list' },
  'stop-signal': { type: 'string', description: 'Signal to stop the container', valueName: 'string' },
  'stop-timeout': { type: 'int', description: 'Timeout (in seconds) to stop a container', valueName: 'int' },
  sysctl: { type: 'strings', description: 'Sysctl options', valueName: 'map' },
  tmpfs: { type: 'strings', description: 'Mount a tmpfs directory', valueName: 'list' },
  tty: { type: 'bool', short: 't', description: 'Allocate a pseudo-TTY' },
  ulimit: { type: 'strings', description: 'Ulimit options', valueName: 'ulimit' },
  user: { type: 'string', short: 'u', description: 'Username or UID (format: <name|uid>[:<group|gid>])', valueName: 'string' },
  volume: { type: 'strings', short: 'v', description: 'Bind mount a volume', valueName: 'list' },
  workdir: { type: 'string', short: 'w', description: 'Working directory inside the container', valueName: 'string' },
} satisfies FlagSpecs;

/** docker refuses a malformed --dns, --add-host… as a flag error (exit 125), before any pull. */
function checkFlagValues(req: CreateRequest): void {
  try {
    validateNameResolution(req);
  } catch (e) {
    if (e instanceof EngineError) throw new UsageError(e.message);
    throw e;
  }
}

export function createRequest(flags: FlagValues<typeof createFlags>, args: string[]): CreateRequest {
  const req = translate(flags, args);
  checkFlagValues(req);
  return req;
}

function translate(flags: FlagValues<typeof createFlags>, args: string[]): CreateRequest {
  const req = emptyRequest(args[0]!);
  const opt = <T>(v: T | undefined): T | undefined => v;
  return {
    ...req,
    cmd: args.slice(1),
    ...(flags.name !== undefined ? { name: opt(flags.name) } : {}),
    ...(flags.entrypoint !== undefined ? { entrypoint: flags.entrypoint } : {}),
    env: flags.env,
    envFileEntries: flags['env-file'].flatMap((f) => parseEnvFile(readFileSync(f, 'utf8'), process.env)),
    ...(flags.workdir !== undefined ? { workdir: flags.workdir } : {}),
    ...(flags.user !== undefined ? { user: flags.user } : {}),
    ...(flags.hostname !== undefined ? { hostname: flags.hostname } : {}),
    tty: flags.tty,
    interactive: flags.interactive,
    labels: flags.label,
    volumes: flags.volume.map((v) => absoluteBindSpec(v, process.cwd())),
    mounts: flags.mount.map((m) => absoluteMountSpec(m, process.cwd())),
    tmpfs: flags.tmpfs,
    ...(flags.network !== undefined ? { network: flags.network } : {}),
    ...(flags.ip !== undefined ? { ip: flags.ip } : {}),
    networkAliases: flags['network-alias'],
    publish: flags.publish,
    publishAll: flags['publish-all'],
    dns: flags.dns,
    dnsSearch: flags['dns-search'],
    dnsOptions: flags['dns-option'],
    addHosts: flags['add-host'],
    capAdd: flags['cap-add'],
    capDrop: flags['cap-drop'],
    privileged: flags.privileged,
    readOnly: flags['read-only'],
    securityOpt: flags['security-opt'],
    ...(flags.memory !== undefined ? { memory: flags.memory } : {}),
    ...(flags['memory-swap'] !== undefined ? { memorySwap: flags['memory-swap'] } : {}),
    ...(flags.cpus !== undefined ? { cpus: flags.cpus } : {}),
    ...(flags['cpu-shares'] !== undefined ? { cpuShares: flags['cpu-shares'] } : {}),
    ...(flags['cpuset-cpus'] !== undefined ? { cpusetCpus: flags['cpuset-cpus'] } : {}),
    ...(flags['pids-limit'] !== undefined ? { pidsLimit: flags['pids-limit'] } : {}),
    ...(flags['blkio-weight'] !== undefined ? { blkioWeight: flags['blkio-weight'] } : {}),
    ulimits: flags.ulimit,
    sysctls: flags.sysctl,
    init: flags.init,
    ...(flags['stop-signal'] !== undefined ? { stopSignal: flags['stop-signal'] } : {}),
    ...(flags['stop-timeout'] !== undefined ? { stopTimeout: flags['stop-timeout'] } : {}),
    ...(flags.restart !== undefined ? { restart: flags.restart } : {}),
    autoRemove: flags.rm,
    ...(flags.runtime !== undefined ? { runtime: flags.runtime } : {}),
  };
}
