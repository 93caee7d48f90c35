// OCI LinuxSeccomp -> a classic BPF program for seccomp(SECCOMP_SET_MODE_FILTER, flags, &prog).
//
// Layout, in execution order:
//   ld arch; jeq <each audit arch> -> its section; ret kill_thread      (libseccomp's bad-arch action)
//   section: ld nr; [x86_64: jge 0x40000000 -> x32 part or bad arch]; a binary search over the
//   syscall numbers with rules, down to short jeq chains; each syscall's rules; ret <default>.
// Rule semantics are described in rules.ts.
import type { LinuxSeccomp } from '../oci/spec.js';
import { SECCOMP_RET_KILL_THREAD } from './actions.js';
import { AUDIT_ARCH_X86_64, nativeArchName, resolveArchitectures, X32_SYSCALL_BIT, type ArchDef } from './arch.js';
import { BPF, BPF_MAXINSNS, encodeProgram, SeccompData } from './bpf.js';
import { BackwardEmitter, type Label, type Target } from './emitter.js';
import { SeccompError } from './errors.js';
import { defaultActionValue, planRules, type ArchRules, type Condition, type SyscallDecision } from './rules.js';

export interface CompiledSeccomp {
  /** struct sock_filter[], ready for OP_SECCOMP. */
  filter: Buffer;
  /** SECCOMP_FILTER_FLAG_* bits for seccomp(2). */
  flags: number;
}

export interface CompileOptions {
  /** libseccomp's SCMP_ARCH_NATIVE; defaults to the machine Node runs on. */
  nativeArch?: string;
}

const FILTER_FLAGS: Readonly<Record<string, number>> = {
  SECCOMP_FILTER_FLAG_TSYNC: 1,
  SECCOMP_FILTER_FLAG_LOG: 2,
  SECCOMP_FILTER_FLAG_SPEC_ALLOW: 4,
};

/** A jeq chain this short is as fast as more bisection, and keeps the blocks near their jumps. */
const LEAF_SIZE = 4;
const MASK32 = 0xffffffffn;

const BAD_ARCH = SECCOMP_RET_KILL_THREAD;

function filterFlags(names: readonly string[] | undefined): number {
  let flags = 0;
  for (const name of names ?? []) {
    const bit = Object.hasOwn(FILTER_FLAGS, name) ? FILTER_FLAGS[name] : undefined;
    if (bit === undefined) throw new SeccompError('UNKNOWN_FLAG', `unsupported seccomp flag ${JSON.stringify(name)}`, String(name));
    flags |= bit;
  }
  return flags;
}

type Halves = { high: number; low: number };
const halves = (v: bigint): Halves => ({ high: Number((v >> 32n) & MASK32), low: Number(v & MASK32) });

class ProgramWriter {
  readonly out = new BackwardEmitter();

  constructor(private readonly fallback: number) {
    // The kernel requires the last instruction to be a return.
    this.out.ret(fallback);
  }

  /** Returns whether `cond` holds for the argument, for one 32-bit half or both. */
  condition(cond: Condition, argBits: 32 | 64, pass: Target, fail: Target): Label {
    const { index, op } = cond;
    const value = halves(cond.value);
    const datum = halves(cond.valueTwo);
    const wide = argBits === 64;
    const o = this.out;
    const lo = SeccompData.argLow(index);
    const hi = SeccompData.argHigh(index);
    const equal = (v: Halves, yes: Target, no: Target): Label => {
      const low = o.load(lo, o.jump(BPF.JEQ_K, v.low, yes, no));
      return wide ? o.load(hi, o.jump(BPF.JEQ_K, v.high, low, no)) : low;
    };
    // above(v, orEqual): arg > v (or >=), unsigned over 64 bits: the high halves decide unless equal.
    const above = (orEqual: boolean, yes: Target, no: Target): Label => {
      const low = o.load(lo, o.jump(orEqual ? BPF.JGE_K : BPF.JGT_K, value.low, yes, no));
      if (!wide) return low;
      const highEqual = o.jump(BPF.JEQ_K, value.high, low, no);
      return o.load(hi, o.jump(BPF.JGT_K, value.high, yes, highEqual));
    };
    switch (op) {
      case 'SCMP_CMP_EQ': return equal(value, pass, fail);
      case 'SCMP_CMP_NE': return equal(value, fail, pass);
      case 'SCMP_CMP_GT': return above(false, pass, fail);
      case 'SCMP_CMP_GE': return above(true, pass, fail);
      case 'SCMP_CMP_LE': return above(false, fail, pass);
      case 'SCMP_CMP_LT': return above(true, fail, pass);
      case 'SCMP_CMP_MASKED_EQ': {
        const low = o.load(lo, o.and(value.low, o.jump(BPF.JEQ_K, datum.low, pass, fail)));
        return wide ? o.load(hi, o.and(value.high, o.jump(BPF.JEQ_K, datum.high, low, fail))) : low;
      }
    }
  }

  syscall(decision: SyscallDecision, argBits: 32 | 64): Target {
    if (decision.always !== undefined) return { ret: decision.always };
    let next: Target = { ret: this.fallback };
    for (const rule of [...decision.rules].reverse()) {
      let pass: Target = { ret: rule.action };
      for (const cond of [...rule.conditions].reverse()) pass = this.condition(cond, argBits, pass, next);
      next = pass;
    }
    return next;
  }

  /** Binary search on the syscall number (in A) over syscalls[from, to). */
  dispatch(syscalls: readonly SyscallDecision[], argBits: 32 | 64, from = 0, to = syscalls.length): Target {
    if (to - from <= LEAF_SIZE) {
      const blocks: Target[] = [];
      for (let i = to - 1; i >= from; i--) blocks[i] = this.syscall(syscalls[i]!, argBits);
      let next: Target = { ret: this.fallback };
      for (let i = to - 1; i >= from; i--) next = this.out.jump(BPF.JEQ_K, syscalls[i]!.nr, blocks[i]!, next);
      return next;
    }
    const mid = (from + to) >> 1;
    const upper = this.dispatch(syscalls, argBits, mid, to);
    const lower = this.dispatch(syscalls, argBits, from, mid);
    return this.out.jump(BPF.JGE_K, syscalls[mid]!.nr, upper, lower);
  }

  /** One audit arch: x86_64 and x32 share AUDIT_ARCH_X86_64 and differ by the x32 bit. */
  section(audit: number, parts: readonly ArchRules[]): Target {
    const body = (p: ArchRules | undefined): Target => (p ? this.dispatch(p.syscalls, p.arch.argBits) : { ret: BAD_ARCH });
    let entry: Target;
    if (audit === AUDIT_ARCH_X86_64) {
      const x32 = body(parts.find((p) => p.arch.nrBit === X32_SYSCALL_BIT));
      const x86_64 = body(parts.find((p) => p.arch.nrBit === 0));
      entry = this.out.jump(BPF.JGE_K, X32_SYSCALL_BIT, x32, x86_64);
    } else {
      entry = body(parts[0]);
    }
    return typeof entry === 'number' ? this.out.load(SeccompData.NR, entry) : entry;
  }

  program(rules: readonly ArchRules[]): Label {
    const audits = [...new Set(rules.map((r) => r.arch.auditArch))];
    const entries = new Map<number, Target>();
    for (const audit of [...audits].reverse()) entries.set(audit, this.section(audit, rules.filter((r) => r.arch.auditArch === audit)));
    let next: Target = { ret: BAD_ARCH };
    for (const audit of [...audits].reverse()) next = this.out.jump(BPF.JEQ_K, audit, entries.get(audit)!, next);
    return this.out.load(SeccompData.ARCH, next);
  }
}

export function compileSeccomp(profile: LinuxSeccomp, options: CompileOptions = {}): CompiledSeccomp {
  const flags = filterFlags(profile.flags);
  const archs: ArchDef[] = resolveArchitectures(profile.architectures, options.nativeArch ?? nativeArchName());
  const writer = new ProgramWriter(defaultActionValue(profile));
  writer.program(planRules(profile, archs));
  const program = writer.out.finish();
  if (program.length > BPF_MAXINSNS) {
    throw new SeccompError('PROGRAM_TOO_LONG', `seccomp program has ${program.length} instructions; the kernel allows ${BPF_MAXINSNS}`, 'filter');
  }
  return { filter: encodeProgram(program), flags };
}
