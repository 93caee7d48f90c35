// Checks of the values that end up as lines of the container's /etc files (--dns, --dns-search,
// --dns-option, --add-host, --hostname), made before anything is created. Pure: the CLI calls them
// while it reads its flags (docker refuses these at the flag, exit 125), the engine again when it
// turns a request into a container, so that no front end can write a newline into resolv.conf.
import { HOST_GATEWAY, parseAddHost, type HostsEntry } from '../../network/etc/hosts.js';
import { isIPv4 } from '../../network/ip.js';
import { net } from '../../sys/lazy.js';
import { EngineError } from '../errors.js';

const invalid = (flag: string, value: string, why: string) => new EngineError('INVALID_OPTION', `invalid argument ${JSON.stringify(value)} for "${flag}" flag: ${why}`, value);

/** Whitespace or any control character: a value with one would split or add a line. */
const LINE_BREAKING = /[\s\x00-\x1f\x7f]/;

/** The value as is in a message, or quoted when it would break the message's one line. */
const shown = (value: string) => (/[\x00-\x1f\x7f]/.test(value) ? JSON.stringify(value) : value);

function isIP(value: string): boolean {
  // node:net is costly to load at start-up: only a value that is not plain IPv4 needs it
  return isIPv4(value) || (value.includes(':') && net().isIPv6(value));
}

/** `--dns`: an IPv4 or IPv6 address. */
export function validateDnsServer(value: string): string {
  if (!isIP(value)) throw invalid('--dns', value, `IP address is not correctly formatted: ${shown(value)}`);
  return value;
}

const DOMAIN = /^(?:[a-zA-Z0-9](?:[a-zA-Z0-9-]*[a-zA-Z0-9])?)(?:\.[a-zA-Z0-9](?:[a-zA-Z0-9-]*[a-zA-Z0-9])?)*\.?$/;

/** `--dns-search`: a domain name, or `.` (no search domain), as docker's ValidateDNSSearch. */
export function validateDnsSearch(value: string): string {
  if (value === '.') return value;
  if (!DOMAIN.test(value) || !/[a-zA-Z]/.test(value) || value.length >= 255) throw invalid('--dns-search', value, `${shown(value)} is not a valid domain`);
  return value;
}

/** `--dns-option`: one resolv.conf option word (`ndots:2`, `rotate`). */
export function validateDnsOption(value: string): string {
  if (!value || LINE_BREAKING.test(value)) throw invalid('--dns-option', value, 'a DNS option is one word, without spaces or newlines');
  return value;
}

export interface ExtraHost {
  name: string;
  /** an address, or HOST_GATEWAY */
  ip: string;
}

/**
 * `--add-host NAME:IP` or `NAME=IP` (docker 25+); IP may be `[v6]`, or `host-gateway`. Only the
 * first separator counts, so an IPv6 address keeps its colons.
 */
export function validateAddHost(value: string): ExtraHost {
  const badFormat = () => invalid('--add-host', value, `bad format for add-host: ${JSON.stringify(value)}`);
  let entry: HostsEntry;
  try {
    entry = parseAddHost(value);
  } catch {
    throw badFormat();
  }
  const name = entry.names[0]!;
  const ip = entry.ip;
  if (name.includes(':') || LINE_BREAKING.test(name)) throw badFormat();
  if (ip !== HOST_GATEWAY && !isIP(ip)) throw invalid('--add-host', value, `invalid IP address in add-host: ${JSON.stringify(ip)}`);
  return { name, ip };
}

/** `--hostname`: one line of /etc/hostname and a name in /etc/hosts. */
export function validateHostname(value: string): string {
  if (value.length > 253 || LINE_BREAKING.test(value)) throw invalid('--hostname', value, 'a host name has no spaces or newlines and at most 253 characters');
  return value;
}

export interface NameResolutionFlags {
  hostname?: string | undefined;
  dns: string[];
  dnsSearch: string[];
  dnsOptions: string[];
  addHosts: string[];
}

/** Every value that becomes a line of /etc/hosts, /etc/hostname or /etc/resolv.conf. */
export function validateNameResolution(flags: NameResolutionFlags): void {
  if (flags.hostname !== undefined) validateHostname(flags.hostname);
  flags.dns.forEach(validateDnsServer);
  flags.dnsSearch.forEach(validateDnsSearch);
  flags.dnsOptions.forEach(validateDnsOption);
  flags.addHosts.forEach(validateAddHost);
}
