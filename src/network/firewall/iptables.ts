// Applies and removes rules with one iptables-restore process per batch.
import { NetworkError } from '../errors.js';
import { BASE_CHAINS, BASE_JUMPS, baseSetupScript, parseSave, restoreScript, ruleLine, type FirewallRule } from './rules.js';
import { childProcess } from '../../sys/lazy.js';
import { activeTracer } from '../../trace/active.js';
import { sleepSync } from '../../sys/sleep.js';

/** The processes the firewall runs; replaced by a recorder in unit tests. */
export interface IptablesRunner {
  /** Runs `iptables-restore -w --noflush` with `script` on stdin. */
  restore(script: string): void;
  save(): string;
  /** `iptables -t T -D CHAIN …`; false if no such rule exists. */
  deleteOne(rule: FirewallRule): boolean;
}

function run(cmd: string, args: string[], input?: string): string {
  return childProcess().execFileSync(cmd, args, { input, encoding: 'utf8', stdio: ['pipe', 'pipe', 'pipe'] });
}

export const systemIptables: IptablesRunner = {
  restore(script) {
    run('iptables-restore', ['-w', '--noflush'], script);
  },
  save() {
    return run('iptables-save', []);
  },
  deleteOne(rule) {
    try {
      run('iptables', ['-w', '-t', rule.table, '-D', rule.chain, ...rule.args]);
      return true;
    } catch {
      return false;
    }
  },
};

/** "3 rules in one iptables-restore batch: -t nat -A VESSEL-DNAT … ; …" */
function rulesDetail(rules: FirewallRule[]): string {
  return `${rules.length} rule(s) in one iptables-restore batch: ${rules.map((r) => `-t ${r.table} ${r.chain} ${r.args.join(' ')}`).join(' ; ')}`;
}

function failure(what: string, cause: unknown): NetworkError {
  const stderr = (cause as { stderr?: string }).stderr?.trim();
  return new NetworkError('FIREWALL_FAILED', `${what}: ${stderr || (cause as Error).message}`, what, { cause });
}

/**
 * Creates vessel's chains and the jumps into them if missing. Another vessel process may be doing
 * the same at this moment: a refused batch (chain already exists) is re-planned from a fresh save.
 */
export function ensureBaseChains(runner: IptablesRunner = systemIptables): void {
  activeTracer().span('network', 'iptables', 'iptables-save, then create the VESSEL chains and jumps that are missing', () => ensureBaseChainsOnce(runner));
}

function ensureBaseChainsOnce(runner: IptablesRunner): void {
  for (let attempt = 0; ; attempt++) {
    let script: string;
    try {
      script = baseSetupScript(runner.save());
      if (!script) return;
      runner.restore(script);
      return;
    } catch (cause) {
      if (attempt >= 4) throw failure('creating the VESSEL chains', cause);
      sleepSync(20 + Math.random() * 50);
    }
  }
}

/** Appends `rules` in one batch: all or none are added. */
export function addRules(rules: FirewallRule[], runner: IptablesRunner = systemIptables): void {
  if (rules.length === 0) return;
  try {
    activeTracer().span('network', 'iptables -A', () => rulesDetail(rules), () => runner.restore(restoreScript('-A', rules)));
  } catch (cause) {
    throw failure(`adding ${rules.length} firewall rule(s) in ${[...new Set(rules.map((r) => r.chain))].join(', ')}`, cause);
  }
}

/**
 * Removes exactly `rules`. One batch normally; if some rule is already gone (say after a reboot)
 * the batch is refused as a whole, and the rules are then removed one by one.
 */
export function removeRules(rules: FirewallRule[], runner: IptablesRunner = systemIptables): void {
  if (rules.length === 0) return;
  try {
    activeTracer().span('network', 'iptables -D', () => rulesDetail(rules), () => runner.restore(restoreScript('-D', rules)));
  } catch {
    for (const r of rules) runner.deleteOne(r);
  }
}

/**
 * Removes vessel's chains and the jumps into them when no rule of any engine root is left in them
 * (after `system reset`). One iptables-restore batch per table: if another vessel process adds a
 * rule meanwhile, deleting its now non-empty chain fails and the whole batch changes nothing.
 * Returns whether the chains were removed.
 */
export function removeBaseChainsIfUnused(runner: IptablesRunner = systemIptables): boolean {
  const saved = parseSave(runner.save());
  const ours = new Set(BASE_CHAINS.map((c) => c.chain));
  const baseJumps = new Set(BASE_JUMPS.map((j) => ruleLine('-A', j)));
  // a chain an older vessel did not make yet is simply not there to remove
  const present = BASE_CHAINS.filter((c) => saved.get(c.table)?.chains.has(c.chain));
  if (present.length === 0) return false;
  for (const { table, chain } of present) {
    if (saved.get(table)!.rules.some((line) => line.startsWith(`-A ${chain} `))) return false;
  }
  for (const t of saved.values()) {
    // a jump into our chains other than the base ones: something still uses them, leave them be
    for (const line of t.rules) {
      const target = /(?:^| )-j (\S+)/.exec(line)?.[1];
      if (target && ours.has(target) && !baseJumps.has(line)) return false;
    }
  }
  const script = (['filter', 'nat'] as const)
    .map((table) => [
      `*${table}`,
      ...BASE_JUMPS.filter((j) => j.table === table && saved.get(table)?.rules.includes(ruleLine('-A', j))).map((j) => ruleLine('-D', j)),
      ...present.filter((c) => c.table === table).map((c) => `-X ${c.chain}`),
      'COMMIT',
    ].join('\n'))
    .join('\n');
  try {
    runner.restore(`${script}\n`);
    return true;
  } catch {
    return false;
  }
}
