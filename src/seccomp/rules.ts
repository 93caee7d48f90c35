// Turns an OCI profile into, per architecture, the decision for each system call it names.
//
// Semantics (libseccomp's as runc drives it, except where noted):
// - A rule whose action equals the default action is dropped (runc skips it; libseccomp refuses it).
// - Names unknown on an architecture are skipped there, as libseccomp does for other arches' names.
// - An unconditional rule decides the whole syscall; conditional rules for that syscall no longer
//   matter (libseccomp replaces their tree with the unconditional action).
// - Conditions within one rule are ANDed; several rules for one syscall are alternatives. If the
//   same argument appears twice in one rule, runc adds each condition as its own rule (an OR); so
//   do we.
// - When several rules could match one call, the most restrictive action wins, by the kernel's
//   precedence between filters (kill_process > kill_thread > trap > errno > trace > log > allow);
//   equal actions keep profile order. libseccomp's answer for overlapping conditional rules depends
//   on how its decision tree merges them, and for two unconditional rules it keeps the first; we
//   choose the predictable, safer rule.
import type { LinuxSeccomp, SeccompArg, SeccompOperator, SeccompSyscall } from '../oci/spec.js';
import { actionPrecedence, actionValue } from './actions.js';
import type { ArchDef } from './arch.js';
import { SeccompError } from './errors.js';

export interface Condition {
  index: number;
  op: SeccompOperator;
  /** For MASKED_EQ, the mask. */
  value: bigint;
  /** For MASKED_EQ, the value the masked argument must equal. */
  valueTwo: bigint;
}

export interface ConditionalRule {
  action: number;
  conditions: Condition[];
}

export interface SyscallDecision {
  nr: number;
  /** The action for every call, when an unconditional rule names this syscall. */
  always?: number;
  /** Most restrictive first; the first whose conditions all hold decides. */
  rules: ConditionalRule[];
}

export interface ArchRules {
  arch: ArchDef;
  /** Sorted by number. */
  syscalls: SyscallDecision[];
}

const OPERATORS: ReadonlySet<string> = new Set<SeccompOperator>([
  'SCMP_CMP_NE', 'SCMP_CMP_LT', 'SCMP_CMP_LE', 'SCMP_CMP_EQ', 'SCMP_CMP_GE', 'SCMP_CMP_GT', 'SCMP_CMP_MASKED_EQ',
]);
const MAX_ARGS = 6;
const U64_LIMIT = 1n << 64n;

function argValue(v: unknown, what: string): bigint {
  if (v === undefined || v === null) return 0n;
  let big: bigint;
  if (typeof v === 'bigint') big = v;
  else if (typeof v === 'number' && Number.isInteger(v)) big = BigInt(v);
  else throw new SeccompError('INVALID_ARG', `${what}: ${String(v)} is not an integer`, String(v));
  if (big < 0n || big >= U64_LIMIT) throw new SeccompError('INVALID_ARG', `${what}: ${big} is outside 0..2^64-1`, String(v));
  return big;
}

function condition(arg: SeccompArg, object: string): Condition {
  if (!Number.isInteger(arg.index) || arg.index < 0 || arg.index >= MAX_ARGS) {
    throw new SeccompError('INVALID_ARG', `${object}: argument index ${arg.index} is not 0..5`, String(arg.index));
  }
  if (!OPERATORS.has(arg.op)) throw new SeccompError('UNKNOWN_OPERATOR', `${object}: unknown operator ${JSON.stringify(arg.op)}`, String(arg.op));
  return {
    index: arg.index,
    op: arg.op,
    value: argValue(arg.value, `${object} value`),
    valueTwo: argValue(arg.valueTwo, `${object} valueTwo`),
  };
}

/** One rule's conditions as alternatives, each a list of ANDed conditions. */
function alternatives(conditions: Condition[]): Condition[][] {
  const indexes = new Set(conditions.map((c) => c.index));
  return indexes.size === conditions.length ? [conditions] : conditions.map((c) => [c]);
}

interface ParsedRule {
  names: string[];
  action: number;
  alternatives: Condition[][];
}

function parseRule(rule: SeccompSyscall, position: number): ParsedRule {
  const object = `seccomp rule ${position} (${(rule.names ?? []).slice(0, 3).join(', ')})`;
  if (!Array.isArray(rule.names) || rule.names.length === 0) {
    throw new SeccompError('INVALID_RULE', `${object}: names must list at least one system call`, `rule ${position}`);
  }
  const conditions = (rule.args ?? []).map((a) => condition(a, object));
  return { names: rule.names, action: actionValue(rule.action, rule.errnoRet, object), alternatives: alternatives(conditions) };
}

export function defaultActionValue(profile: LinuxSeccomp): number {
  return actionValue(profile.defaultAction, profile.defaultErrnoRet, 'seccomp defaultAction');
}

export function planRules(profile: LinuxSeccomp, archs: readonly ArchDef[]): ArchRules[] {
  const fallback = defaultActionValue(profile);
  const parsed = (profile.syscalls ?? []).map(parseRule).filter((r) => r.action !== fallback);
  const byPrecedence = (a: number, b: number): number => actionPrecedence(a) - actionPrecedence(b);
  return archs.map((arch) => {
    const byNr = new Map<number, { always: number[]; rules: ConditionalRule[] }>();
    for (const rule of parsed) {
      for (const name of rule.names) {
        const number = arch.syscalls.get(name);
        if (number === undefined) continue;
        const nr = (number | arch.nrBit) >>> 0;
        let entry = byNr.get(nr);
        if (!entry) byNr.set(nr, (entry = { always: [], rules: [] }));
        for (const conditions of rule.alternatives) {
          if (conditions.length === 0) entry.always.push(rule.action);
          else entry.rules.push({ action: rule.action, conditions });
        }
      }
    }
    const syscalls: SyscallDecision[] = [];
    for (const nr of [...byNr.keys()].sort((a, b) => a - b)) {
      const { always, rules } = byNr.get(nr)!;
      if (always.length > 0) syscalls.push({ nr, always: always.length > 1 ? always.sort(byPrecedence)[0]! : always[0]!, rules: [] });
      else syscalls.push({ nr, rules: rules.length > 1 ? rules.sort((a, b) => byPrecedence(a.action, b.action)) : rules });
    }
    return { arch, syscalls };
  });
}
