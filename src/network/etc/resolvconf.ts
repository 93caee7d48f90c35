// The container's /etc/resolv.conf, derived from the host's.
import { isLoopback } from '../ip.js';

export interface ResolvConf {
  nameservers: string[];
  search: string[];
  options: string[];
}

export function parseResolvConf(text: string): ResolvConf {
  const out: ResolvConf = { nameservers: [], search: [], options: [] };
  for (const raw of text.split('\n')) {
    const [key, ...values] = raw.replace(/[#;].*/, '').trim().split(/\s+/);
    if (key === 'nameserver' && values[0]) out.nameservers.push(values[0]);
    else if (key === 'search' || key === 'domain') out.search = values;
    else if (key === 'options') out.options.push(...values);
  }
  return out;
}

export interface ResolvConfOptions {
  /** The host's /etc/resolv.conf text. */
  host: string;
  dns?: string[];
  dnsSearch?: string[];
  dnsOptions?: string[];
  /**
   * The nameserver is the embedded resolver: like docker, `ndots:0` is added (unless an ndots is
   * given), so a container name is asked as it is, before any search domain is tried.
   */
  embedded?: boolean;
}

/**
 * --dns/--dns-search/--dns-option replace the host's values; the host's loopback resolvers are
 * dropped because the container's loopback is its own. With no resolver left there is none.
 */
export function resolvConfFile(o: ResolvConfOptions): string {
  const host = parseResolvConf(o.host);
  const nameservers = o.dns?.length ? o.dns : host.nameservers.filter((ns) => !isLoopback(ns));
  const search = o.dnsSearch?.length ? o.dnsSearch.filter((s) => s !== '.') : host.search;
  const given = o.dnsOptions?.length ? o.dnsOptions : host.options;
  const options = o.embedded && !given.some((opt) => opt.startsWith('ndots:')) ? [...given, 'ndots:0'] : given;
  const lines = [
    ...nameservers.map((ns) => `nameserver ${ns}`),
    ...(search.length ? [`search ${search.join(' ')}`] : []),
    ...(options.length ? [`options ${options.join(' ')}`] : []),
  ];
  return lines.length ? lines.join('\n') + '\n' : '';
}
