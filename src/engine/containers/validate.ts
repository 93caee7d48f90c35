// Every option of a create checked before anything is made: a create that fails here leaves no
// container, no name taken, nothing on disk. What would otherwise fail only at start (a profile
// file, a sysctl, a network) fails at create, as docker's daemon does.
import { readFileSync } from 'node:fs';
import type { LinuxSeccomp } from '../../oci/spec.js';
import { sysctlNamespace } from '../../runtime/sysctl-policy.js';
import { effectiveCapabilities, RLIMITS } from '../bundle/spec.js';
import type { ContainerConfig, HostConfig } from '../config/types.js';
import type { Engine } from '../engine.js';
import { EngineError } from '../errors.js';

/** docker's floor for --memory (linuxMinMemory in moby's daemon). */
export const MIN_MEMORY = 6 * 1024 * 1024;

const SECURITY_OPTS = new Set(['no-new-privileges', 'seccomp', 'label', 'apparmor']);

const invalid = (message: string, object: string, cause?: unknown) => new EngineError('INVALID_OPTION', message, object, cause === undefined ? undefined : { cause });

function checkResources(host: HostConfig): void {
  if (host.Memory > 0 && host.Memory < MIN_MEMORY) throw invalid('Minimum memory limit allowed is 6MB', String(host.Memory));
  if (host.CpuShares < 0) throw invalid('invalid CPU shares: must be a positive number', String(host.CpuShares));
  if (host.BlkioWeight !== 0 && (host.BlkioWeight < 10 || host.BlkioWeight > 1000)) throw invalid('Range of blkio weight is from 10 to 1000', String(host.BlkioWeight));
  for (const u of host.Ulimits) {
    if (!RLIMITS[u.Name]) throw invalid(`invalid ulimit type: ${u.Name}`, u.Name);
    if (u.Soft > u.Hard && u.Hard !== -1) throw invalid(`ulimit soft limit must be less than or equal to hard limit: ${u.Soft} > ${u.Hard}`, u.Name);
  }
}

/** Only sysctls of a namespace the container has of its own (docker's and runc's rule). */
function checkSysctls(host: HostConfig): void {
  for (const key of Object.keys(host.Sysctls)) {
    const ns = sysctlNamespace(key);
    if (!ns) throw invalid(`sysctl '${key}' is not allowed`, key);
    if (ns === 'network' && host.NetworkMode === 'host') throw invalid(`sysctl '${key}' is not allowed in host network namespace`, key);
  }
}

async function checkSecurity(host: HostConfig): Promise<void> {
  effectiveCapabilities(host);
  for (const opt of host.SecurityOpt) {
    const sep = opt.includes('=') ? '=' : ':';
    const key = opt.includes(sep) ? opt.slice(0, opt.indexOf(sep)) : opt;
    const value = opt.includes(sep) ? opt.slice(opt.indexOf(sep) + 1) : '';
    if (!SECURITY_OPTS.has(key)) throw invalid(`Invalid --security-opt: ${JSON.stringify(opt)}`, opt);
    if (key !== 'seccomp' || value === 'unconfined' || host.Privileged) continue;
    let profile: LinuxSeccomp;
    try {
      profile = JSON.parse(readFileSync(value, 'utf8')) as LinuxSeccomp;
    } catch (cause) {
      const why = (cause as NodeJS.ErrnoException).code === 'ENOENT' ? 'no such file or directory' : (cause as Error).message;
      throw invalid(`opening seccomp profile (${value}) failed: ${why}`, value, cause);
    }
    // compiling finds unknown actions, syscalls and architectures now rather than at start
    const { compileSeccomp } = await import('../../seccomp/index.js');
    try {
      compileSeccomp(profile);
    } catch (cause) {
      throw invalid(`Error loading seccomp profile (${value}): ${(cause as Error).message}`, value, cause);
    }
  }
}

/** The network (and `container:` target) exists; an address asked for lies in its subnet. */
async function checkNetwork(engine: Engine, host: HostConfig, ip: string | undefined): Promise<void> {
  const mode = host.NetworkMode || 'bridge';
  if (mode === 'host' || mode === 'none') return;
  if (mode.startsWith('container:')) {
    engine.containers.resolve(mode.slice('container:'.length));
    return;
  }
  const [{ getNetwork, NetworkError, DEFAULT_NETWORK }, { parseCidr, parseIPv4, contains }, { sqlOf }] = await Promise.all([
    import('../../network/index.js'),
    import('../../network/ip.js'),
    import('../network/db.js'),
  ]);
  const name = mode === 'default' ? DEFAULT_NETWORK : mode;
  const network = getNetwork(sqlOf(engine.images.db), name);
  if (!network) {
    // the default bridge network is made on first use
    if (name === DEFAULT_NETWORK) return;
    throw new NetworkError('NETWORK_NOT_FOUND', `network ${name} not found`, name);
  }
  // --ip on the default bridge is refused at create with docker's own message
  if (!ip || name === DEFAULT_NETWORK) return;
  let addr: number;
  try {
    addr = parseIPv4(ip);
  } catch (cause) {
    throw invalid(`invalid IPv4 address: ${ip}`, ip, cause);
  }
  if (!contains(parseCidr(network.subnet), addr)) throw invalid(`Invalid address ${ip}: It does not belong to any of this network's subnets`, ip);
  if (ip === network.gateway) throw new EngineError('INVALID_OPTION', `Address ${ip} is the gateway of network ${network.name}`, ip);
}

export async function validateCreate(engine: Engine, _config: ContainerConfig, host: HostConfig, endpoint: { ip?: string }): Promise<void> {
  checkResources(host);
  checkSysctls(host);
  await checkSecurity(host);
  await checkNetwork(engine, host, endpoint.ip);
}
