// The flags `vessel create` and `vessel run` share, and their translation to docker's create body.
import { readFileSync } from 'node:fs';
import type { Mount } from '../../../engine/api-types.js';
import { parseBytes, parseCpus, parseEnvFile, expandEnv, parseKeyValues, parseMountFlag, parseRestart, parseTmpfsFlag, parseUlimit } from '../../../engine/config/parse.js';
import { portBindingsOf } from '../../../engine/config/port-bindings.js';
import type { CreateBody } from '../../../engine/containers/index.js';
import type { FlagSpecs, FlagValues } from '../command.js';
import { keyValues } from '../flags.js';

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

/** docker's CLI spells capabilities `CAP_X` (and `ALL` as is) whatever the user typed. */
function capNames(caps: string[]): string[] {
  return caps.map((c) => {
    const up = c.toUpperCase();
    return up === 'ALL' || up.startsWith('CAP_') ? up : `CAP_${up}`;
  });
}

/** `--mount` as docker's Mount object. */
function mountOf(spec: string): Mount {
  const m = parseMountFlag(spec);
  const size = m.Options.find((o) => o.startsWith('size='));
  const mode = m.Options.find((o) => o.startsWith('mode='));
  const propagation = m.Options.find((o) => !o.startsWith('size=') && !o.startsWith('mode='));
  return {
    Type: m.Type,
    Target: m.Target,
    ...(m.Source ? { Source: m.Source } : {}),
    ...(m.ReadOnly ? { ReadOnly: true } : {}),
    ...(propagation ? { BindOptions: { Propagation: propagation as NonNullable<Mount['BindOptions']>['Propagation'] } } : {}),
    ...(size || mode ? { TmpfsOptions: { ...(size ? { SizeBytes: Number(size.slice(5)) } : {}), ...(mode ? { Mode: parseInt(mode.slice(5), 8) } : {}) } } : {}),
  };
}

/** The flags of `create`/`run` as exactly the body docker's CLI sends to POST /containers/create. */
export function createBody(flags: FlagValues<typeof createFlags>, args: string[], opts: { detach?: boolean } = {}): CreateBody {
  const env = [...flags['env-file'].flatMap((f) => parseEnvFile(readFileSync(f, 'utf8'), process.env)), ...flags.env.flatMap((e) => expandEnv(e, process.env))];
  // `-v /data` is an anonymous volume: docker sends it in Config.Volumes, not as a bind
  const anonymous = flags.volume.filter((v) => !v.includes(':'));
  const { PortBindings, ExposedPorts } = portBindingsOf(flags.publish);
  const network = flags.network ?? 'default';
  const endpoint = {
    ...(flags.ip ? { IPAMConfig: { IPv4Address: flags.ip } } : {}),
    ...(flags['network-alias'].length ? { Aliases: flags['network-alias'] } : {}),
  };
  const attach = !opts.detach;
  const restart = parseRestart(flags.restart);
  return {
    ...(flags.name !== undefined ? { name: flags.name } : {}),
    Hostname: flags.hostname ?? '',
    User: flags.user ?? '',
    AttachStdin: attach && flags.interactive,
    AttachStdout: attach,
    AttachStderr: attach,
    ...(Object.keys(ExposedPorts).length ? { ExposedPorts } : {}),
    Tty: flags.tty,
    OpenStdin: flags.interactive,
    StdinOnce: attach && flags.interactive,
    Env: env,
    Cmd: args.slice(1),
    Image: args[0]!,
    ...(anonymous.length ? { Volumes: Object.fromEntries(anonymous.map((v) => [v, {}])) } : {}),
    WorkingDir: flags.workdir ?? '',
    ...(flags.entrypoint !== undefined ? { Entrypoint: [flags.entrypoint] } : {}),
    Labels: keyValues(flags.label),
    ...(flags['stop-signal'] !== undefined ? { StopSignal: flags['stop-signal'] } : {}),
    ...(flags['stop-timeout'] !== undefined ? { StopTimeout: flags['stop-timeout'] } : {}),
    HostConfig: {
      Binds: flags.volume.filter((v) => v.includes(':')),
      NetworkMode: network,
      PortBindings,
      RestartPolicy: { Name: restart.Name || 'no', MaximumRetryCount: restart.MaximumRetryCount },
      AutoRemove: flags.rm,
      Mounts: flags.mount.map(mountOf),
      CapAdd: capNames(flags['cap-add']),
      CapDrop: capNames(flags['cap-drop']),
      Dns: flags.dns,
      DnsOptions: flags['dns-option'],
      DnsSearch: flags['dns-search'],
      ExtraHosts: flags['add-host'],
      Privileged: flags.privileged,
      PublishAllPorts: flags['publish-all'],
      ReadonlyRootfs: flags['read-only'],
      SecurityOpt: flags['security-opt'],
      Tmpfs: Object.fromEntries(flags.tmpfs.map(parseTmpfsFlag)),
      ...(flags.init ? { Init: true } : {}),
      ...(flags.runtime !== undefined ? { Runtime: flags.runtime } : {}),
      Sysctls: parseKeyValues('--sysctl', flags.sysctl),
      Memory: flags.memory !== undefined ? parseBytes('--memory', flags.memory) : 0,
      MemorySwap: flags['memory-swap'] !== undefined ? parseBytes('--memory-swap', flags['memory-swap']) : 0,
      NanoCpus: flags.cpus !== undefined ? parseCpus(flags.cpus) : 0,
      CpuShares: flags['cpu-shares'] ?? 0,
      CpusetCpus: flags['cpuset-cpus'] ?? '',
      ...(flags['pids-limit'] !== undefined ? { PidsLimit: flags['pids-limit'] } : {}),
      BlkioWeight: flags['blkio-weight'] ?? 0,
      Ulimits: flags.ulimit.map(parseUlimit),
    },
    NetworkingConfig: { EndpointsConfig: Object.keys(endpoint).length ? { [network]: endpoint } : {} },
  };
}
