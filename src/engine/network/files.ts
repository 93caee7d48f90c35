// The container's /etc/hosts, /etc/hostname and /etc/resolv.conf.
import { readFileSync, writeFileSync } from 'node:fs';
import { containerEndpoints, extraHostEntries, hostnameFile, hostsFile, parseResolvConf, resolvConfFile } from '../../network/index.js';
import type { Database } from 'better-sqlite3';

export const HOST_RESOLV_CONF = '/etc/resolv.conf';
export const HOST_HOSTS = '/etc/hosts';

function readHost(path: string): string {
  try {
    return readFileSync(path, 'utf8');
  } catch {
    return '';
  }
}

export interface DnsFlags {
  dns: string[];
  dnsSearch: string[];
  dnsOptions: string[];
}

/**
 * resolv.conf for a container in its own namespace: the embedded resolver (127.0.0.11) on a user
 * network (it forwards to --dns or the host's resolvers), else --dns or the host's resolvers minus
 * loopback ones.
 */
export function resolvConfFor(flags: DnsFlags, embeddedResolver?: string): string {
  const host = readHost(HOST_RESOLV_CONF);
  if (!embeddedResolver) return resolvConfFile({ host, dns: flags.dns, dnsSearch: flags.dnsSearch, dnsOptions: flags.dnsOptions });
  return resolvConfFile({ host, dns: [embeddedResolver], dnsSearch: flags.dnsSearch, dnsOptions: flags.dnsOptions, embedded: true });
}

/** resolv.conf with the host's network: the host's file as is, unless flags replace parts of it. */
export function hostModeResolvConf(flags: DnsFlags): string {
  const host = readHost(HOST_RESOLV_CONF);
  if (!flags.dns.length && !flags.dnsSearch.length && !flags.dnsOptions.length) return host;
  // the host's loopback resolvers are reachable from its own namespace, so they stay
  const dns = flags.dns.length ? flags.dns : parseResolvConf(host).nameservers;
  return resolvConfFile({ host, dns, dnsSearch: flags.dnsSearch, dnsOptions: flags.dnsOptions });
}

export function hostModeHosts(addHosts: string[]): string {
  const extra = extraHostEntries(addHosts, '127.0.0.1').map((e) => `${e.ip}\t${e.names.join(' ')}`);
  const host = readHost(HOST_HOSTS);
  return extra.length ? `${host.replace(/\n?$/, '\n')}${extra.join('\n')}\n` : host;
}

/** /etc/hosts for a container whose namespace holds the addresses of `endpointsOf`'s endpoints. */
export function containerHosts(db: Database, endpointsOf: string, hostname: string, addHosts: string[]): string {
  const endpoints = containerEndpoints(db, endpointsOf);
  return hostsFile({
    hostname,
    addresses: endpoints.map((e) => ({ ip: e.ip, names: [] })),
    extraHosts: extraHostEntries(addHosts, endpoints[0]?.gateway ?? '127.0.0.1'),
  });
}

export { hostnameFile };

/** Rewrites a bind-mounted file in place: a rename would leave the mount on the old inode. */
export function rewriteInPlace(path: string, content: string): void {
  writeFileSync(path, content);
}
