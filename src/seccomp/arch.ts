// The architectures a filter can name, as libseccomp spells them. Only the x86 family has syscall
// tables here: on an x86 kernel seccomp_data.arch is never anything else, so the other names are
// accepted and contribute nothing (their checks could never match).
import { I386_SYSCALLS } from './tables/i386.js';
import { X32_SYSCALLS } from './tables/x32.js';
import { X86_64_SYSCALLS } from './tables/x86-64.js';
import { SeccompError } from './errors.js';

export const AUDIT_ARCH_X86_64 = 0xc000003e;
export const AUDIT_ARCH_I386 = 0x40000003;
/** x32 system calls arrive as x86_64 ones with this bit set in the number. */
export const X32_SYSCALL_BIT = 0x40000000;

export interface ArchDef {
  name: string;
  auditArch: number;
  syscalls: ReadonlyMap<string, number>;
  /** Added to every table number (the x32 bit). */
  nrBit: number;
  /** 32-bit ABIs pass 32-bit arguments: only the low half is compared, as libseccomp does. */
  argBits: 32 | 64;
}

const table = (t: Readonly<Record<string, number>>): ReadonlyMap<string, number> => new Map(Object.entries(t));

const SUPPORTED: Readonly<Record<string, ArchDef>> = {
  SCMP_ARCH_X86_64: { name: 'SCMP_ARCH_X86_64', auditArch: AUDIT_ARCH_X86_64, syscalls: table(X86_64_SYSCALLS), nrBit: 0, argBits: 64 },
  SCMP_ARCH_X32: { name: 'SCMP_ARCH_X32', auditArch: AUDIT_ARCH_X86_64, syscalls: table(X32_SYSCALLS), nrBit: X32_SYSCALL_BIT, argBits: 32 },
  SCMP_ARCH_X86: { name: 'SCMP_ARCH_X86', auditArch: AUDIT_ARCH_I386, syscalls: table(I386_SYSCALLS), nrBit: 0, argBits: 32 },
};

const FOREIGN = new Set([
  'SCMP_ARCH_ARM', 'SCMP_ARCH_AARCH64', 'SCMP_ARCH_LOONGARCH64', 'SCMP_ARCH_M68K',
  'SCMP_ARCH_MIPS', 'SCMP_ARCH_MIPS64', 'SCMP_ARCH_MIPS64N32', 'SCMP_ARCH_MIPSEL', 'SCMP_ARCH_MIPSEL64', 'SCMP_ARCH_MIPSEL64N32',
  'SCMP_ARCH_PPC', 'SCMP_ARCH_PPC64', 'SCMP_ARCH_PPC64LE', 'SCMP_ARCH_S390', 'SCMP_ARCH_S390X',
  'SCMP_ARCH_PARISC', 'SCMP_ARCH_PARISC64', 'SCMP_ARCH_RISCV32', 'SCMP_ARCH_RISCV64',
  'SCMP_ARCH_SH', 'SCMP_ARCH_SHEB', 'SCMP_ARCH_SPARC', 'SCMP_ARCH_SPARC64',
]);

/** The definition of an architecture with a syscall table here, if `name` is one. */
export function supportedArch(name: string): ArchDef | undefined {
  return Object.hasOwn(SUPPORTED, name) ? SUPPORTED[name] : undefined;
}

const NATIVE_BY_NODE_ARCH: Readonly<Record<string, string>> = { x64: 'SCMP_ARCH_X86_64', ia32: 'SCMP_ARCH_X86' };

/** libseccomp's SCMP_ARCH_NATIVE for the machine Node runs on. */
export function nativeArchName(): string {
  const name = NATIVE_BY_NODE_ARCH[process.arch];
  if (!name) throw new SeccompError('UNSUPPORTED_ARCH', `no system call table for this machine (${process.arch})`, process.arch);
  return name;
}

/**
 * The architectures a filter handles: the native one (libseccomp's seccomp_init always adds it,
 * and runc never removes it) plus those listed, in that order, without duplicates.
 */
export function resolveArchitectures(listed: readonly string[] | undefined, native: string): ArchDef[] {
  const out: ArchDef[] = [];
  for (const name of [native, ...(listed ?? [])]) {
    const def = supportedArch(name);
    if (def) {
      if (!out.includes(def)) out.push(def);
    } else if (!FOREIGN.has(name)) {
      throw new SeccompError('UNKNOWN_ARCH', `unknown seccomp architecture ${JSON.stringify(name)}`, String(name));
    }
  }
  return out;
}
