// The iptables rules vessel adds, as plain data: built here, applied and removed by iptables.ts.
// Everything lives in vessel's own chains; only the jumps into them touch the built-in chains.

export type FirewallTable = 'filter' | 'nat';

export interface FirewallRule {
  table: FirewallTable;
  chain: string;
  /** The rule specification after `-A CHAIN`, one token per element. */
  args: string[];
}

export const CHAIN = {
  INPUT: 'VESSEL-INPUT',
  FORWARD: 'VESSEL-FORWARD',
  ISOLATION1: 'VESSEL-ISOLATION-1',
  ISOLATION2: 'VESSEL-ISOLATION-2',
  DNAT: 'VESSEL-DNAT',
  POSTROUTING: 'VESSEL-POSTROUTING',
} as const;

export const BASE_CHAINS: { table: FirewallTable; chain: string }[] = [
  { table: 'filter', chain: CHAIN.INPUT },
  { table: 'filter', chain: CHAIN.FORWARD },
  { table: 'filter', chain: CHAIN.ISOLATION1 },
  { table: 'filter', chain: CHAIN.ISOLATION2 },
  { table: 'nat', chain: CHAIN.DNAT },
  { table: 'nat', chain: CHAIN.POSTROUTING },
];

/**
 * Jumps from the built-in chains, in the order they must appear at the top of each chain, written
 * exactly as iptables-save prints them so their presence can be checked textually.
 */
export const BASE_JUMPS: FirewallRule[] = [
  { table: 'filter', chain: 'INPUT', args: ['-j', CHAIN.INPUT] },
  { table: 'filter', chain: 'FORWARD', args: ['-j', CHAIN.ISOLATION1] },
  { table: 'filter', chain: 'FORWARD', args: ['-j', CHAIN.FORWARD] },
  { table: 'nat', chain: 'PREROUTING', args: ['-m', 'addrtype', '--dst-type', 'LOCAL', '-j', CHAIN.DNAT] },
  { table: 'nat', chain: 'OUTPUT', args: ['-m', 'addrtype', '--dst-type', 'LOCAL', '-j', CHAIN.DNAT] },
  { table: 'nat', chain: 'POSTROUTING', args: ['-j', CHAIN.POSTROUTING] },
];

export interface NetworkFirewallSpec {
  bridge: string;
  subnet: string;
  internal: boolean;
}

/**
 * The bridge has route_localnet=1 (so DNATed loopback traffic can leave through it), which also
 * lets the kernel accept packets addressed to 127.0.0.0/8 that arrive on it. A container with
 * CAP_NET_RAW could then reach host services bound to 127.0.0.1 (CVE-2020-8558). As Kubernetes
 * does, drop such packets unless they belong to a DNATed (published port) or established flow:
 * the replies of a loopback-published port, de-masqueraded back to 127.0.0.1, stay allowed.
 */
export function localnetGuardRule(bridge: string): FirewallRule {
  return { table: 'filter', chain: CHAIN.INPUT, args: ['-i', bridge, '-d', '127.0.0.0/8', '-m', 'conntrack', '!', '--ctstate', 'RELATED,ESTABLISHED,DNAT', '-j', 'DROP'] };
}

/**
 * A network's rules: the loopback guard, isolation from other vessel networks (or from everything,
 * when internal), forwarding for its bridge, MASQUERADE for egress, for loopback-published ports
 * (route_localnet) and for containers reaching a published port on their own network (hairpin).
 */
export function networkRules(n: NetworkFirewallSpec): FirewallRule[] {
  const br = n.bridge;
  if (n.internal) {
    return [
      localnetGuardRule(br),
      { table: 'filter', chain: CHAIN.ISOLATION1, args: ['-i', br, '!', '-o', br, '-j', 'DROP'] },
      { table: 'filter', chain: CHAIN.ISOLATION1, args: ['!', '-i', br, '-o', br, '-j', 'DROP'] },
      { table: 'filter', chain: CHAIN.FORWARD, args: ['-i', br, '-o', br, '-j', 'ACCEPT'] },
    ];
  }
  return [
    localnetGuardRule(br),
    { table: 'filter', chain: CHAIN.ISOLATION1, args: ['-i', br, '!', '-o', br, '-j', CHAIN.ISOLATION2] },
    { table: 'filter', chain: CHAIN.ISOLATION2, args: ['-o', br, '-j', 'DROP'] },
    { table: 'filter', chain: CHAIN.FORWARD, args: ['-o', br, '-m', 'conntrack', '--ctstate', 'RELATED,ESTABLISHED', '-j', 'ACCEPT'] },
    { table: 'filter', chain: CHAIN.FORWARD, args: ['-i', br, '-j', 'ACCEPT'] },
    { table: 'nat', chain: CHAIN.POSTROUTING, args: ['-s', n.subnet, '!', '-o', br, '-j', 'MASQUERADE'] },
    { table: 'nat', chain: CHAIN.POSTROUTING, args: ['-s', n.subnet, '-o', br, '-m', 'conntrack', '--ctstate', 'DNAT', '-j', 'MASQUERADE'] },
    { table: 'nat', chain: CHAIN.POSTROUTING, args: ['-s', '127.0.0.0/8', '-o', br, '-j', 'MASQUERADE'] },
  ];
}

export interface PortRuleSpec {
  bridge: string;
  containerIp: string;
  hostIp: string;
  hostPort: number;
  containerPort: number;
  protocol: 'tcp' | 'udp';
}

/** DNAT from the host port (other hosts, the host itself, loopback, hairpin) and its FORWARD accept. */
export function portRules(p: PortRuleSpec): FirewallRule[] {
  const dst = p.hostIp === '0.0.0.0' ? [] : ['-d', `${p.hostIp}/32`];
  return [
    { table: 'nat', chain: CHAIN.DNAT, args: [...dst, '-p', p.protocol, '-m', p.protocol, '--dport', String(p.hostPort), '-j', 'DNAT', '--to-destination', `${p.containerIp}:${p.containerPort}`] },
    { table: 'filter', chain: CHAIN.FORWARD, args: ['-d', `${p.containerIp}/32`, '!', '-i', p.bridge, '-o', p.bridge, '-p', p.protocol, '-m', p.protocol, '--dport', String(p.containerPort), '-j', 'ACCEPT'] },
  ];
}

export function ruleLine(op: '-A' | '-D' | '-I', r: FirewallRule): string {
  for (const a of r.args) {
    if (!/^[A-Za-z0-9_.:/,!+-]+$/.test(a)) throw new Error(`unsafe iptables token ${JSON.stringify(a)}`);
  }
  return [op, r.chain, ...r.args].join(' ');
}

/** An iptables-restore script (for --noflush) applying `op` to each rule, grouped by table. */
export function restoreScript(op: '-A' | '-D', rules: FirewallRule[]): string {
  const tables = [...new Set(rules.map((r) => r.table))];
  return tables.map((t) => [`*${t}`, ...rules.filter((r) => r.table === t).map((r) => ruleLine(op, r)), 'COMMIT'].join('\n')).join('\n') + '\n';
}

interface SavedTable {
  chains: Set<string>;
  rules: string[];
}

/** Chains and rule lines per table from `iptables-save` output. */
export function parseSave(text: string): Map<string, SavedTable> {
  const tables = new Map<string, SavedTable>();
  let cur: SavedTable | undefined;
  for (const line of text.split('\n')) {
    if (line.startsWith('*')) {
      cur = { chains: new Set(), rules: [] };
      tables.set(line.slice(1).trim(), cur);
    } else if (cur && line.startsWith(':')) {
      cur.chains.add(line.slice(1).split(' ')[0]!);
    } else if (cur && line.startsWith('-A ')) {
      cur.rules.push(line.trim());
    }
  }
  return tables;
}

/**
 * The restore script that creates whatever base chains and jumps are missing from `saved`, or ''
 * when all are there. Jumps go to the top of the built-in chains; if only some of a chain's
 * jumps are present, they are all re-inserted so their order holds.
 */
export function baseSetupScript(saved: string): string {
  const tables = parseSave(saved);
  const lines = new Map<FirewallTable, string[]>();
  const add = (t: FirewallTable, l: string) => lines.set(t, [...(lines.get(t) ?? []), l]);
  for (const c of BASE_CHAINS) if (!tables.get(c.table)?.chains.has(c.chain)) add(c.table, `-N ${c.chain}`);
  const builtins = [...new Set(BASE_JUMPS.map((j) => `${j.table}/${j.chain}`))];
  for (const key of builtins) {
    const [table, chain] = key.split('/') as [FirewallTable, string];
    const jumps = BASE_JUMPS.filter((j) => j.table === table && j.chain === chain);
    const present = jumps.filter((j) => tables.get(table)?.rules.includes(ruleLine('-A', j)));
    if (present.length === jumps.length) continue;
    for (const j of present) add(table, ruleLine('-D', j));
    for (const j of [...jumps].reverse()) add(table, ruleLine('-I', j).replace(` ${chain} `, ` ${chain} 1 `));
  }
  return [...lines].map(([t, ls]) => [`*${t}`, ...ls, 'COMMIT'].join('\n')).join('\n') + (lines.size ? '\n' : '');
}
