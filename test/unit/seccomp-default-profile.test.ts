// Docker's default profile, compiled and run in the BPF interpreter.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  AUDIT_ARCH_I386, AUDIT_ARCH_X86_64, compileSeccomp, defaultSeccompProfile, describeAction, runFilter, syscallNumber,
} from '../../src/seccomp/index.js';
import { CloneFlag } from '../../src/sys/native.js';

// docker's default capability set
const DOCKER_CAPS = ['CAP_CHOWN', 'CAP_DAC_OVERRIDE', 'CAP_FSETID', 'CAP_FOWNER', 'CAP_MKNOD', 'CAP_NET_RAW', 'CAP_SETGID',
  'CAP_SETUID', 'CAP_SETFCAP', 'CAP_SETPCAP', 'CAP_NET_BIND_SERVICE', 'CAP_SYS_CHROOT', 'CAP_KILL', 'CAP_AUDIT_WRITE'];
const CLONE_THREAD_FLAGS = 0x003d0f00n; // what glibc's pthread_create passes
const SIGCHLD = 17n;

function decider(caps: string[]) {
  const { filter, flags } = compileSeccomp(defaultSeccompProfile(caps, 'SCMP_ARCH_X86_64'), { nativeArch: 'SCMP_ARCH_X86_64' });
  assert.equal(flags, 0);
  return (name: string, args: (bigint | number)[] = [], arch = 'SCMP_ARCH_X86_64'): string => {
    const nr = syscallNumber(name, arch);
    assert.notEqual(nr, undefined, name);
    const audit = arch === 'SCMP_ARCH_X86' ? AUDIT_ARCH_I386 : AUDIT_ARCH_X86_64;
    return describeAction(runFilter(filter, { nr: nr!, arch: audit, args }).action);
  };
}

test('ordinary calls are allowed, everything else fails with EPERM', () => {
  const decide = decider(DOCKER_CAPS);
  for (const n of ['read', 'write', 'exit', 'exit_group', 'openat', 'mmap', 'execve', 'futex', 'rt_sigreturn', 'arch_prctl', 'statx', 'chroot', 'ptrace']) {
    assert.equal(decide(n), 'allow', n);
  }
  for (const n of ['keyctl', 'add_key', 'request_key', 'kexec_load', 'kexec_file_load', 'open_by_handle_at', 'init_module', 'finit_module',
    'bpf', 'perf_event_open', 'mount', 'umount2', 'unshare', 'setns', 'sethostname', 'reboot', 'swapon', 'settimeofday',
    'clock_settime', 'acct', 'iopl', 'userfaultfd', 'fsopen', 'pivot_root', 'kcmp', 'vhangup', 'syslog', 'lookup_dcookie']) {
    assert.equal(decide(n), 'errno(1)', n);
  }
});

test('clone may not create namespaces without CAP_SYS_ADMIN; clone3 says ENOSYS', () => {
  const decide = decider(DOCKER_CAPS);
  assert.equal(decide('clone', [SIGCHLD]), 'allow');
  assert.equal(decide('clone', [CLONE_THREAD_FLAGS]), 'allow');
  for (const flag of Object.values(CloneFlag).filter((f) => f !== CloneFlag.NEWTIME)) {
    assert.equal(decide('clone', [BigInt(flag) | SIGCHLD]), 'errno(1)', `clone(0x${flag.toString(16)})`);
  }
  assert.equal(decide('clone3'), 'errno(38)');

  const admin = decider([...DOCKER_CAPS, 'CAP_SYS_ADMIN']);
  assert.equal(admin('clone', [BigInt(CloneFlag.NEWUSER | CloneFlag.NEWNS) | SIGCHLD]), 'allow');
  assert.equal(admin('clone3'), 'allow');
  for (const n of ['mount', 'umount2', 'unshare', 'setns', 'sethostname', 'bpf', 'perf_event_open']) assert.equal(admin(n), 'allow', n);
  assert.equal(admin('keyctl'), 'errno(1)');
  assert.equal(admin('kexec_load'), 'errno(1)');
});

test('capabilities open their calls', () => {
  const caps: [string, string[]][] = [
    ['CAP_SYS_MODULE', ['init_module', 'finit_module', 'delete_module']],
    ['CAP_SYS_TIME', ['settimeofday', 'clock_settime']],
    ['CAP_SYS_BOOT', ['reboot']],
    ['CAP_SYS_PTRACE', ['kcmp', 'pidfd_getfd', 'process_madvise']],
    ['CAP_DAC_READ_SEARCH', ['open_by_handle_at']],
    ['SYS_RAWIO', ['iopl', 'ioperm']],
    ['CAP_SYS_NICE', ['mbind', 'set_mempolicy']],
    ['CAP_SYSLOG', ['syslog']],
    ['CAP_BPF', ['bpf']],
    ['CAP_PERFMON', ['perf_event_open']],
  ];
  const without = decider([]);
  for (const [cap, names] of caps) {
    const decide = decider([cap]);
    for (const n of names) {
      assert.equal(decide(n), 'allow', `${n} with ${cap}`);
      assert.equal(without(n), 'errno(1)', `${n} without ${cap}`);
    }
  }
});

test('personality only for the safe personas; no vsock sockets', () => {
  const decide = decider(DOCKER_CAPS);
  for (const p of [0, 8, 0x20000, 0x20008, 0xffffffff]) assert.equal(decide('personality', [p]), 'allow', p.toString(16));
  for (const p of [0x0040000 /* READ_IMPLIES_EXEC */, 0x0400000 /* ADDR_COMPAT_LAYOUT */, 0x100000000]) assert.equal(decide('personality', [p]), 'errno(1)', p.toString(16));
  assert.equal(decide('socket', [2, 1, 0]), 'allow');
  assert.equal(decide('socket', [1, 1, 0]), 'allow');
  assert.equal(decide('socket', [40, 1, 0]), 'errno(1)');
});

test('i386 and x32 processes get the same policy', () => {
  const decide = decider(DOCKER_CAPS);
  for (const arch of ['SCMP_ARCH_X86', 'SCMP_ARCH_X32']) {
    assert.equal(decide('getpid', [], arch), 'allow', arch);
    assert.equal(decide('read', [], arch), 'allow', arch);
    assert.equal(decide('keyctl', [], arch), 'errno(1)', arch);
    assert.equal(decide('clone', [SIGCHLD], arch), 'allow', arch);
    assert.equal(decide('clone', [BigInt(CloneFlag.NEWUSER)], arch), 'errno(1)', arch);
  }
  assert.equal(decide('socketcall', [], 'SCMP_ARCH_X86'), 'allow');
});

test('compiling the default profile is fast (it runs on every container start)', () => {
  const compile = () => compileSeccomp(defaultSeccompProfile(DOCKER_CAPS, 'SCMP_ARCH_X86_64'), { nativeArch: 'SCMP_ARCH_X86_64' });
  for (let i = 0; i < 30; i++) compile();
  const times: number[] = [];
  for (let i = 0; i < 50; i++) {
    const t = process.hrtime.bigint();
    compile();
    times.push(Number(process.hrtime.bigint() - t) / 1e6);
  }
  times.sort((a, b) => a - b);
  const median = times[times.length >> 1]!;
  const { filter } = compile();
  // The median resists a loaded machine's outliers.
  assert.ok(median < 5, `median compile time ${median.toFixed(2)} ms`);
  process.stdout.write(`# default profile: ${filter.length / 8} instructions, median compile ${median.toFixed(2)} ms, min ${times[0]!.toFixed(2)} ms\n`);
});
