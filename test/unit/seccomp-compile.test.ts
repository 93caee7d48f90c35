// The compiler's decisions, checked by running the compiled bytes in the BPF interpreter.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { LinuxSeccomp, SeccompArg, SeccompOperator } from '../../src/oci/spec.js';
import {
  AUDIT_ARCH_I386, AUDIT_ARCH_X86_64, compileSeccomp, describeAction, runFilter, SeccompError, syscallNumber, X32_SYSCALL_BIT,
} from '../../src/seccomp/index.js';
import { decodeProgram, BPF, MAX_JUMP } from '../../src/seccomp/bpf.js';

const X86_64 = { nativeArch: 'SCMP_ARCH_X86_64' };
const nr = (name: string, arch = 'SCMP_ARCH_X86_64'): number => {
  const n = syscallNumber(name, arch);
  assert.notEqual(n, undefined, `${name} on ${arch}`);
  return n!;
};

function decide(profile: LinuxSeccomp, name: string, args: (bigint | number)[] = [], arch = AUDIT_ARCH_X86_64, table = 'SCMP_ARCH_X86_64'): string {
  const { filter } = compileSeccomp(profile, X86_64);
  return describeAction(runFilter(filter, { nr: nr(name, table), arch, args }).action);
}

function compileError(profile: LinuxSeccomp): SeccompError {
  try {
    compileSeccomp(profile, X86_64);
  } catch (e) {
    assert.ok(e instanceof SeccompError, String(e));
    return e;
  }
  assert.fail('compileSeccomp accepted an invalid profile');
}

test('the program is struct sock_filter[]: arch check first, a return last', () => {
  const { filter, flags } = compileSeccomp({ defaultAction: 'SCMP_ACT_ALLOW' }, X86_64);
  assert.equal(filter.length % 8, 0);
  // ld [4] (seccomp_data.arch): code 0x20, jt 0, jf 0, k 4, little-endian
  assert.deepEqual([...filter.subarray(0, 8)], [0x20, 0, 0, 0, 4, 0, 0, 0]);
  const program = decodeProgram(filter);
  assert.equal(program.at(-1)!.code, BPF.RET_K);
  assert.equal(flags, 0);
});

test('default action, its errno, and each action value', () => {
  assert.equal(decide({ defaultAction: 'SCMP_ACT_ALLOW' }, 'getpid'), 'allow');
  assert.equal(decide({ defaultAction: 'SCMP_ACT_ERRNO' }, 'getpid'), 'errno(1)');
  assert.equal(decide({ defaultAction: 'SCMP_ACT_ERRNO', defaultErrnoRet: 38 }, 'getpid'), 'errno(38)');
  const expected: Record<string, number> = {
    SCMP_ACT_KILL: 0x00000000, SCMP_ACT_KILL_THREAD: 0x00000000, SCMP_ACT_KILL_PROCESS: 0x80000000,
    SCMP_ACT_TRAP: 0x00030000, SCMP_ACT_ERRNO: 0x00050001, SCMP_ACT_TRACE: 0x7ff00001,
    SCMP_ACT_LOG: 0x7ffc0000, SCMP_ACT_ALLOW: 0x7fff0000,
  };
  for (const [action, value] of Object.entries(expected)) {
    const other = action === 'SCMP_ACT_ALLOW' ? 'SCMP_ACT_LOG' : 'SCMP_ACT_ALLOW';
    const { filter } = compileSeccomp({ defaultAction: other, syscalls: [{ names: ['getpid'], action: action as 'SCMP_ACT_ALLOW' }] }, X86_64);
    assert.equal(runFilter(filter, { nr: nr('getpid'), arch: AUDIT_ARCH_X86_64 }).action, value, action);
  }
  const custom: LinuxSeccomp = { defaultAction: 'SCMP_ACT_ALLOW', syscalls: [{ names: ['getpid'], action: 'SCMP_ACT_ERRNO', errnoRet: 13 }] };
  assert.equal(decide(custom, 'getpid'), 'errno(13)');
  assert.equal(decide(custom, 'getppid'), 'allow');
});

test('flags by their spec names', () => {
  const { flags } = compileSeccomp({
    defaultAction: 'SCMP_ACT_ALLOW',
    flags: ['SECCOMP_FILTER_FLAG_TSYNC', 'SECCOMP_FILTER_FLAG_LOG', 'SECCOMP_FILTER_FLAG_SPEC_ALLOW'],
  }, X86_64);
  assert.equal(flags, 7);
  assert.equal(compileError({ defaultAction: 'SCMP_ACT_ALLOW', flags: ['SECCOMP_FILTER_FLAG_BOGUS'] }).code, 'UNKNOWN_FLAG');
});

test('invalid profiles are refused with a typed error', () => {
  const cases: [LinuxSeccomp, string][] = [
    [{ defaultAction: 'SCMP_ACT_BOGUS' as 'SCMP_ACT_ALLOW' }, 'UNKNOWN_ACTION'],
    [{ defaultAction: 'SCMP_ACT_NOTIFY' }, 'UNSUPPORTED_ACTION'],
    [{ defaultAction: 'SCMP_ACT_ALLOW', syscalls: [{ names: ['read'], action: 'SCMP_ACT_NOTIFY' }] }, 'UNSUPPORTED_ACTION'],
    [{ defaultAction: 'SCMP_ACT_ALLOW', architectures: ['SCMP_ARCH_Z80'] }, 'UNKNOWN_ARCH'],
    [{ defaultAction: 'SCMP_ACT_ALLOW', syscalls: [{ names: ['read'], action: 'SCMP_ACT_ERRNO', args: [{ index: 0, value: 1, op: 'SCMP_CMP_LIKE' as SeccompOperator }] }] }, 'UNKNOWN_OPERATOR'],
    [{ defaultAction: 'SCMP_ACT_ALLOW', syscalls: [{ names: ['read'], action: 'SCMP_ACT_ERRNO', args: [{ index: 6, value: 1, op: 'SCMP_CMP_EQ' }] }] }, 'INVALID_ARG'],
    [{ defaultAction: 'SCMP_ACT_ALLOW', syscalls: [{ names: ['read'], action: 'SCMP_ACT_ERRNO', args: [{ index: 0, value: -1, op: 'SCMP_CMP_EQ' }] }] }, 'INVALID_ARG'],
    [{ defaultAction: 'SCMP_ACT_ALLOW', syscalls: [{ names: ['read'], action: 'SCMP_ACT_KILL', errnoRet: 1 }] }, 'INVALID_ERRNO'],
    [{ defaultAction: 'SCMP_ACT_ALLOW', defaultErrnoRet: 1 }, 'INVALID_ERRNO'],
    [{ defaultAction: 'SCMP_ACT_ALLOW', syscalls: [{ names: ['read'], action: 'SCMP_ACT_ERRNO', errnoRet: 70000 }] }, 'INVALID_ERRNO'],
    [{ defaultAction: 'SCMP_ACT_ALLOW', syscalls: [{ names: [], action: 'SCMP_ACT_ERRNO' }] }, 'INVALID_RULE'],
  ];
  for (const [profile, code] of cases) assert.equal(compileError(profile).code, code, JSON.stringify(profile));
});

test('unknown syscall names and foreign architectures are skipped', () => {
  const profile: LinuxSeccomp = {
    defaultAction: 'SCMP_ACT_ALLOW',
    architectures: ['SCMP_ARCH_AARCH64', 'SCMP_ARCH_S390X'],
    syscalls: [{ names: ['no_such_call', 'arm_fadvise64_64', 'getpid'], action: 'SCMP_ACT_ERRNO' }],
  };
  assert.equal(decide(profile, 'getpid'), 'errno(1)');
  assert.equal(decide(profile, 'getppid'), 'allow');
});

test('another architecture gets the bad-arch action; SCMP_ARCH_X86 uses the i386 numbers', () => {
  const deny: LinuxSeccomp = { defaultAction: 'SCMP_ACT_ALLOW', syscalls: [{ names: ['getpid'], action: 'SCMP_ACT_ERRNO' }] };
  const { filter } = compileSeccomp(deny, X86_64);
  assert.equal(describeAction(runFilter(filter, { nr: 20, arch: AUDIT_ARCH_I386 }).action), 'kill_thread');
  assert.equal(describeAction(runFilter(filter, { nr: 0, arch: 0xc00000b7 /* aarch64 */ }).action), 'kill_thread');

  const withI386 = compileSeccomp({ ...deny, architectures: ['SCMP_ARCH_X86'] }, X86_64).filter;
  assert.equal(nr('getpid', 'SCMP_ARCH_X86'), 20);
  assert.equal(describeAction(runFilter(withI386, { nr: 20, arch: AUDIT_ARCH_I386 }).action), 'errno(1)');
  // 39 is getpid on x86_64 but umount on i386
  assert.equal(describeAction(runFilter(withI386, { nr: 39, arch: AUDIT_ARCH_I386 }).action), 'allow');
  assert.equal(describeAction(runFilter(withI386, { nr: 39, arch: AUDIT_ARCH_X86_64 }).action), 'errno(1)');
});

test('x32 calls (x86_64 arch, bit 0x40000000) are a separate ABI', () => {
  const deny: LinuxSeccomp = { defaultAction: 'SCMP_ACT_ALLOW', syscalls: [{ names: ['execve'], action: 'SCMP_ACT_ERRNO' }] };
  const native = compileSeccomp(deny, X86_64).filter;
  // Without SCMP_ARCH_X32, any number with the x32 bit is the bad-arch action, as in libseccomp.
  for (const n of [X32_SYSCALL_BIT, X32_SYSCALL_BIT | 520, 0xffffffff]) {
    assert.equal(describeAction(runFilter(native, { nr: n, arch: AUDIT_ARCH_X86_64 }).action), 'kill_thread', n.toString(16));
  }
  const both = compileSeccomp({ ...deny, architectures: ['SCMP_ARCH_X86_64', 'SCMP_ARCH_X32'] }, X86_64).filter;
  assert.equal(nr('execve', 'SCMP_ARCH_X32'), X32_SYSCALL_BIT | 520);
  assert.equal(describeAction(runFilter(both, { nr: X32_SYSCALL_BIT | 520, arch: AUDIT_ARCH_X86_64 }).action), 'errno(1)');
  assert.equal(describeAction(runFilter(both, { nr: X32_SYSCALL_BIT | 59, arch: AUDIT_ARCH_X86_64 }).action), 'allow');
  assert.equal(describeAction(runFilter(both, { nr: 59, arch: AUDIT_ARCH_X86_64 }).action), 'errno(1)');
  assert.equal(describeAction(runFilter(both, { nr: 520, arch: AUDIT_ARCH_X86_64 }).action), 'allow');
});

// Values around the 32-bit boundary, where comparing only one half gives wrong answers.
const INTERESTING = [0n, 1n, 0x7fffffffn, 0x80000000n, 0xfffffffen, 0xffffffffn, 0x100000000n, 0x100000001n,
  0x1fffffffen, 0x1ffffffffn, 0x200000000n, 0xffffffff00000000n, 0xfffffffffffffffen, 0xffffffffffffffffn];
const REFERENCE: Record<Exclude<SeccompOperator, 'SCMP_CMP_MASKED_EQ'>, (a: bigint, v: bigint) => boolean> = {
  SCMP_CMP_EQ: (a, v) => a === v,
  SCMP_CMP_NE: (a, v) => a !== v,
  SCMP_CMP_LT: (a, v) => a < v,
  SCMP_CMP_LE: (a, v) => a <= v,
  SCMP_CMP_GT: (a, v) => a > v,
  SCMP_CMP_GE: (a, v) => a >= v,
};

test('comparisons are unsigned over all 64 bits', () => {
  for (const [op, holds] of Object.entries(REFERENCE)) {
    for (const v of INTERESTING) {
      // JSON numbers can carry these exactly only up to 2^53; the compiler also takes bigints.
      const arg = { index: 2, value: v as unknown as number, op } as SeccompArg;
      const { filter } = compileSeccomp({ defaultAction: 'SCMP_ACT_ALLOW', syscalls: [{ names: ['ioctl'], action: 'SCMP_ACT_ERRNO', args: [arg] }] }, X86_64);
      for (const a of INTERESTING) {
        const got = runFilter(filter, { nr: nr('ioctl'), arch: AUDIT_ARCH_X86_64, args: [0, 0, a] }).action;
        assert.equal(describeAction(got), holds(a, v) ? 'errno(1)' : 'allow', `${op}: arg ${a.toString(16)} vs ${v.toString(16)}`);
      }
    }
  }
});

test('MASKED_EQ: (arg & value) == valueTwo on both halves', () => {
  const cases: [bigint, bigint][] = [[0x7e020000n, 0n], [0xff00000000n, 0x1200000000n], [0xffffffffffffffffn, 0x100000001n], [0x1n, 0x1n]];
  for (const [mask, datum] of cases) {
    const arg = { index: 0, value: mask, valueTwo: datum, op: 'SCMP_CMP_MASKED_EQ' } as unknown as SeccompArg;
    const { filter } = compileSeccomp({ defaultAction: 'SCMP_ACT_ERRNO', syscalls: [{ names: ['clone'], action: 'SCMP_ACT_ALLOW', args: [arg] }] }, X86_64);
    for (const a of [...INTERESTING, 0x10000000n, 0x1200000000n, 0x1200010000n, 0x100000001n]) {
      const got = describeAction(runFilter(filter, { nr: nr('clone'), arch: AUDIT_ARCH_X86_64, args: [a] }).action);
      assert.equal(got, (a & mask) === datum ? 'allow' : 'errno(1)', `mask ${mask.toString(16)} datum ${datum.toString(16)} arg ${a.toString(16)}`);
    }
  }
});

test('32-bit ABIs compare the low half only', () => {
  const { filter } = compileSeccomp({
    defaultAction: 'SCMP_ACT_ALLOW',
    architectures: ['SCMP_ARCH_X86'],
    syscalls: [{ names: ['ioctl'], action: 'SCMP_ACT_ERRNO', args: [{ index: 1, value: 0x5401, op: 'SCMP_CMP_EQ' }] }],
  }, X86_64);
  const ioctl32 = nr('ioctl', 'SCMP_ARCH_X86');
  assert.equal(describeAction(runFilter(filter, { nr: ioctl32, arch: AUDIT_ARCH_I386, args: [3, 0x5401] }).action), 'errno(1)');
  assert.equal(describeAction(runFilter(filter, { nr: ioctl32, arch: AUDIT_ARCH_I386, args: [3, 0x5402] }).action), 'allow');
});

test('conditions in one rule are ANDed, rules are alternatives, a repeated argument means OR', () => {
  const profile: LinuxSeccomp = {
    defaultAction: 'SCMP_ACT_ERRNO',
    syscalls: [
      { names: ['mmap'], action: 'SCMP_ACT_ALLOW', args: [{ index: 0, value: 0, op: 'SCMP_CMP_EQ' }, { index: 2, value: 3, op: 'SCMP_CMP_EQ' }] },
      { names: ['mmap'], action: 'SCMP_ACT_ALLOW', args: [{ index: 0, value: 0x1000, op: 'SCMP_CMP_EQ' }] },
      { names: ['kill'], action: 'SCMP_ACT_ALLOW', args: [{ index: 1, value: 9, op: 'SCMP_CMP_EQ' }, { index: 1, value: 15, op: 'SCMP_CMP_EQ' }] },
    ],
  };
  assert.equal(decide(profile, 'mmap', [0, 4096, 3]), 'allow');
  assert.equal(decide(profile, 'mmap', [0, 4096, 1]), 'errno(1)');
  assert.equal(decide(profile, 'mmap', [0x1000, 4096, 1]), 'allow');
  assert.equal(decide(profile, 'mmap', [0x2000, 4096, 3]), 'errno(1)');
  assert.equal(decide(profile, 'kill', [1, 9]), 'allow');
  assert.equal(decide(profile, 'kill', [1, 15]), 'allow');
  assert.equal(decide(profile, 'kill', [1, 2]), 'errno(1)');
});

test('precedence: an unconditional rule decides its syscall; otherwise the most restrictive match wins', () => {
  const profile: LinuxSeccomp = {
    defaultAction: 'SCMP_ACT_ERRNO',
    syscalls: [
      { names: ['write'], action: 'SCMP_ACT_TRAP', args: [{ index: 0, value: 2, op: 'SCMP_CMP_EQ' }] },
      { names: ['write'], action: 'SCMP_ACT_ALLOW' },
      { names: ['read'], action: 'SCMP_ACT_ALLOW', args: [{ index: 0, value: 10, op: 'SCMP_CMP_LT' }] },
      { names: ['read'], action: 'SCMP_ACT_KILL_PROCESS', args: [{ index: 0, value: 5, op: 'SCMP_CMP_EQ' }] },
      { names: ['read'], action: 'SCMP_ACT_LOG', args: [{ index: 0, value: 3, op: 'SCMP_CMP_GE' }] },
      { names: ['getpid'], action: 'SCMP_ACT_ALLOW' },
      { names: ['getpid'], action: 'SCMP_ACT_TRAP' },
      // same as the default: dropped, so it cannot outrank the ALLOW below
      { names: ['close'], action: 'SCMP_ACT_ERRNO', args: [{ index: 0, value: 7, op: 'SCMP_CMP_EQ' }] },
      { names: ['close'], action: 'SCMP_ACT_ALLOW', args: [{ index: 0, value: 7, op: 'SCMP_CMP_LE' }] },
    ],
  };
  assert.equal(decide(profile, 'write', [2]), 'allow');
  assert.equal(decide(profile, 'read', [1]), 'allow');
  assert.equal(decide(profile, 'read', [5]), 'kill_process');
  assert.equal(decide(profile, 'read', [4]), 'log');
  assert.equal(decide(profile, 'read', [12]), 'log');
  assert.equal(decide(profile, 'getpid'), 'trap');
  assert.equal(decide(profile, 'close', [7]), 'allow');
  assert.equal(decide(profile, 'close', [8]), 'errno(1)');
});

test('long programs: jumps over more than 255 instructions go through trampolines', () => {
  const values = Array.from({ length: 400 }, (_, i) => i * 3);
  const profile: LinuxSeccomp = {
    defaultAction: 'SCMP_ACT_ERRNO',
    architectures: ['SCMP_ARCH_X86_64', 'SCMP_ARCH_X86', 'SCMP_ARCH_X32'],
    syscalls: [
      ...values.map((v) => ({ names: ['ioctl'], action: 'SCMP_ACT_ALLOW' as const, args: [{ index: 1, value: v, op: 'SCMP_CMP_EQ' as const }] })),
      { names: ['getpid', 'read', 'write'], action: 'SCMP_ACT_ALLOW' },
      { names: ['exit_group'], action: 'SCMP_ACT_TRACE', errnoRet: 7 },
    ],
  };
  const { filter } = compileSeccomp(profile, X86_64);
  const program = decodeProgram(filter);
  assert.ok(program.length > 3 * 400, `${program.length} instructions`);
  assert.ok(program.some((i) => i.code === BPF.JA), 'uses trampolines');
  program.forEach((ins, pc) => {
    if ((ins.code & 0x07) !== 0x05) return;
    const targets = ins.code === BPF.JA ? [pc + 1 + ins.k] : [pc + 1 + ins.jt, pc + 1 + ins.jf];
    for (const t of targets) assert.ok(t < program.length, `jump from ${pc} to ${t}`);
    assert.ok(ins.jt <= MAX_JUMP && ins.jf <= MAX_JUMP);
  });
  const check = (arch: number, table: string) => {
    const ioctl = nr('ioctl', table);
    for (let v = 0; v < 1200; v++) {
      const got = describeAction(runFilter(program, { nr: ioctl, arch, args: [1, v] }).action);
      assert.equal(got, v % 3 === 0 ? 'allow' : 'errno(1)', `${table} ioctl(1, ${v})`);
    }
    assert.equal(describeAction(runFilter(program, { nr: nr('getpid', table), arch }).action), 'allow');
    assert.equal(describeAction(runFilter(program, { nr: nr('exit_group', table), arch }).action), 'trace(7)');
    assert.equal(describeAction(runFilter(program, { nr: nr('openat', table), arch }).action), 'errno(1)');
  };
  check(AUDIT_ARCH_X86_64, 'SCMP_ARCH_X86_64');
  check(AUDIT_ARCH_I386, 'SCMP_ARCH_X86');
  check(AUDIT_ARCH_X86_64, 'SCMP_ARCH_X32');
});

test('every syscall of a large allow-list keeps its own decision', () => {
  const names = ['read', 'write', 'openat', 'close', 'mmap', 'futex', 'clone', 'execve', 'statx', 'rseq', 'listns', 'open_tree_attr'];
  const { filter } = compileSeccomp({
    defaultAction: 'SCMP_ACT_KILL_PROCESS',
    syscalls: names.map((n, i) => ({ names: [n], action: 'SCMP_ACT_ERRNO' as const, errnoRet: i + 1 })),
  }, X86_64);
  names.forEach((n, i) => assert.equal(describeAction(runFilter(filter, { nr: nr(n), arch: AUDIT_ARCH_X86_64 }).action), `errno(${i + 1})`, n));
  for (let n = 0; n < 600; n++) {
    if ([...names].some((name) => nr(name) === n)) continue;
    assert.equal(describeAction(runFilter(filter, { nr: n, arch: AUDIT_ARCH_X86_64 }).action), 'kill_process', String(n));
  }
});

test('a program longer than the kernel allows is refused', () => {
  const syscalls = Array.from({ length: 1200 }, (_, v) => ({ names: ['ioctl'], action: 'SCMP_ACT_ALLOW' as const, args: [{ index: 1, value: v, op: 'SCMP_CMP_EQ' as const }] }));
  assert.equal(compileError({ defaultAction: 'SCMP_ACT_ERRNO', syscalls }).code, 'PROGRAM_TOO_LONG');
});
