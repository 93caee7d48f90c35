// The profile every container gets unless it asks otherwise: docker's default (moby
// profiles/seccomp/default.json) in meaning. Everything not listed fails with EPERM; some calls are
// allowed only when the container holds the capability that makes them meaningful; clone may not
// create namespaces without CAP_SYS_ADMIN, and clone3 (whose flags a filter cannot read) says
// ENOSYS so that libc falls back to clone. Beyond moby's list we allow a few calls added to
// Linux since, each a variant of an allowed one (fchmodat2, futex_wait/wake/requeue, cachestat,
// the *xattrat family, file_getattr/file_setattr, map_shadow_stack, mseal, uretprobe).
import type { LinuxSeccomp, SeccompArg, SeccompSyscall } from '../oci/spec.js';
import { nativeArchName } from './arch.js';

const files = [
  'access', 'faccessat', 'faccessat2', 'open', 'openat', 'openat2', 'creat', 'close', 'close_range',
  'read', 'readv', 'pread64', 'preadv', 'preadv2', 'write', 'writev', 'pwrite64', 'pwritev', 'pwritev2',
  'lseek', '_llseek', 'dup', 'dup2', 'dup3', 'fcntl', 'fcntl64', 'ioctl', 'flock',
  'stat', 'stat64', 'lstat', 'lstat64', 'fstat', 'fstat64', 'fstatat64', 'newfstatat', 'statx',
  'statfs', 'statfs64', 'fstatfs', 'fstatfs64',
  'truncate', 'truncate64', 'ftruncate', 'ftruncate64', 'fallocate', 'fadvise64', 'fadvise64_64', 'readahead',
  'fsync', 'fdatasync', 'sync', 'syncfs', 'sync_file_range',
  'sendfile', 'sendfile64', 'splice', 'tee', 'vmsplice', 'copy_file_range',
  'getdents', 'getdents64', 'getcwd', 'chdir', 'fchdir',
  'mkdir', 'mkdirat', 'rmdir', 'mknod', 'mknodat', 'link', 'linkat', 'symlink', 'symlinkat',
  'unlink', 'unlinkat', 'rename', 'renameat', 'renameat2', 'readlink', 'readlinkat',
  'chmod', 'fchmod', 'fchmodat', 'fchmodat2', 'chown', 'chown32', 'fchown', 'fchown32', 'fchownat', 'lchown', 'lchown32',
  'umask', 'utime', 'utimes', 'utimensat', 'utimensat_time64', 'futimesat', 'name_to_handle_at',
  'getxattr', 'lgetxattr', 'fgetxattr', 'getxattrat', 'setxattr', 'lsetxattr', 'fsetxattr', 'setxattrat',
  'listxattr', 'llistxattr', 'flistxattr', 'listxattrat', 'removexattr', 'lremovexattr', 'fremovexattr', 'removexattrat',
  'file_getattr', 'file_setattr',
  'inotify_init', 'inotify_init1', 'inotify_add_watch', 'inotify_rm_watch', 'fanotify_mark',
  'memfd_create', 'memfd_secret', 'cachestat',
];

const polling = [
  'select', '_newselect', 'pselect6', 'pselect6_time64', 'poll', 'ppoll', 'ppoll_time64',
  'epoll_create', 'epoll_create1', 'epoll_ctl', 'epoll_ctl_old', 'epoll_wait', 'epoll_wait_old', 'epoll_pwait', 'epoll_pwait2',
  'eventfd', 'eventfd2', 'signalfd', 'signalfd4',
  'timerfd_create', 'timerfd_gettime', 'timerfd_gettime64', 'timerfd_settime', 'timerfd_settime64',
  'io_setup', 'io_destroy', 'io_submit', 'io_cancel', 'io_getevents', 'io_pgetevents', 'io_pgetevents_time64',
  'io_uring_setup', 'io_uring_enter', 'io_uring_register',
  'pipe', 'pipe2',
];

const memory = [
  'brk', 'mmap', 'mmap2', 'munmap', 'mremap', 'mprotect', 'madvise', 'mincore', 'msync', 'remap_file_pages',
  'mlock', 'mlock2', 'mlockall', 'munlock', 'munlockall', 'membarrier', 'mseal', 'map_shadow_stack',
  'pkey_alloc', 'pkey_free', 'pkey_mprotect',
];

const processes = [
  'execve', 'execveat', 'fork', 'vfork', 'exit', 'exit_group', 'wait4', 'waitid', 'waitpid',
  'getpid', 'getppid', 'gettid', 'getpgid', 'getpgrp', 'setpgid', 'getsid', 'setsid',
  'getuid', 'getuid32', 'geteuid', 'geteuid32', 'getgid', 'getgid32', 'getegid', 'getegid32',
  'getresuid', 'getresuid32', 'getresgid', 'getresgid32', 'getgroups', 'getgroups32',
  'setuid', 'setuid32', 'setgid', 'setgid32', 'setreuid', 'setreuid32', 'setregid', 'setregid32',
  'setresuid', 'setresuid32', 'setresgid', 'setresgid32', 'setfsuid', 'setfsuid32', 'setfsgid', 'setfsgid32',
  'setgroups', 'setgroups32', 'capget', 'capset', 'prctl', 'seccomp',
  'getrlimit', 'ugetrlimit', 'setrlimit', 'prlimit64', 'getrusage', 'getpriority', 'setpriority',
  'ioprio_get', 'ioprio_set', 'getcpu', 'getrandom', 'uname', 'sysinfo', 'times',
  'set_tid_address', 'get_robust_list', 'set_robust_list', 'rseq', 'restart_syscall',
  'get_thread_area', 'set_thread_area', 'pidfd_open', 'pidfd_send_signal', 'process_mrelease',
  'landlock_create_ruleset', 'landlock_add_rule', 'landlock_restrict_self', 'uretprobe',
  'futex', 'futex_time64', 'futex_waitv', 'futex_wait', 'futex_wake', 'futex_requeue',
  'sched_yield', 'sched_getaffinity', 'sched_setaffinity', 'sched_getattr', 'sched_setattr',
  'sched_getparam', 'sched_setparam', 'sched_getscheduler', 'sched_setscheduler',
  'sched_get_priority_max', 'sched_get_priority_min', 'sched_rr_get_interval', 'sched_rr_get_interval_time64',
  // Kernels since 4.8 check these against the ptrace rules of the caller's namespace, so docker
  // allows them to everyone there.
  'ptrace', 'process_vm_readv', 'process_vm_writev',
];

const signals = [
  'kill', 'tkill', 'tgkill', 'rt_sigaction', 'rt_sigpending', 'rt_sigprocmask', 'rt_sigqueueinfo',
  'rt_sigreturn', 'rt_sigsuspend', 'rt_sigtimedwait', 'rt_sigtimedwait_time64', 'rt_tgsigqueueinfo',
  'sigaltstack', 'sigprocmask', 'sigreturn', 'pause', 'alarm',
];

const time = [
  'time', 'gettimeofday', 'adjtimex', 'clock_adjtime', 'clock_adjtime64',
  'clock_getres', 'clock_getres_time64', 'clock_gettime', 'clock_gettime64', 'clock_nanosleep', 'clock_nanosleep_time64',
  'nanosleep', 'getitimer', 'setitimer',
  'timer_create', 'timer_delete', 'timer_getoverrun', 'timer_gettime', 'timer_gettime64', 'timer_settime', 'timer_settime64',
];

const network = [
  'socketpair', 'socketcall', 'bind', 'connect', 'listen', 'accept', 'accept4', 'shutdown',
  'getsockname', 'getpeername', 'getsockopt', 'setsockopt',
  'send', 'sendto', 'sendmsg', 'sendmmsg', 'recv', 'recvfrom', 'recvmsg', 'recvmmsg', 'recvmmsg_time64',
];

const ipc = [
  'ipc', 'msgget', 'msgctl', 'msgsnd', 'msgrcv', 'semget', 'semctl', 'semop', 'semtimedop', 'semtimedop_time64',
  'shmget', 'shmctl', 'shmat', 'shmdt',
  'mq_open', 'mq_unlink', 'mq_notify', 'mq_getsetattr', 'mq_timedsend', 'mq_timedsend_time64', 'mq_timedreceive', 'mq_timedreceive_time64',
];

/** Host architecture -> extra calls its ABI needs (docker decides by the engine's own arch). */
const archSpecific: Readonly<Record<string, string[]>> = {
  SCMP_ARCH_X86_64: ['arch_prctl', 'modify_ldt'],
  SCMP_ARCH_X86: ['modify_ldt'],
};

/** Host architecture -> the architectures its processes can use (docker's archMap). */
const subArchitectures: Readonly<Record<string, string[]>> = {
  SCMP_ARCH_X86_64: ['SCMP_ARCH_X86_64', 'SCMP_ARCH_X86', 'SCMP_ARCH_X32'],
  SCMP_ARCH_X86: ['SCMP_ARCH_X86'],
};

/** Calls allowed when the container holds the capability. */
const byCapability: Readonly<Record<string, string[]>> = {
  CAP_DAC_READ_SEARCH: ['open_by_handle_at'],
  CAP_SYS_ADMIN: [
    'bpf', 'clone', 'clone3', 'fanotify_init', 'fsconfig', 'fsmount', 'fsopen', 'fspick', 'lookup_dcookie',
    'mount', 'mount_setattr', 'move_mount', 'open_tree', 'umount', 'umount2', 'perf_event_open',
    'quotactl', 'quotactl_fd', 'setdomainname', 'sethostname', 'setns', 'unshare', 'syslog',
  ],
  CAP_SYS_BOOT: ['reboot'],
  CAP_SYS_CHROOT: ['chroot'],
  CAP_SYS_MODULE: ['init_module', 'finit_module', 'delete_module'],
  CAP_SYS_PACCT: ['acct'],
  CAP_SYS_PTRACE: ['kcmp', 'pidfd_getfd', 'process_madvise', 'process_vm_readv', 'process_vm_writev', 'ptrace'],
  CAP_SYS_RAWIO: ['iopl', 'ioperm'],
  CAP_SYS_TIME: ['settimeofday', 'stime', 'clock_settime', 'clock_settime64'],
  CAP_SYS_TTY_CONFIG: ['vhangup'],
  CAP_SYS_NICE: ['get_mempolicy', 'mbind', 'set_mempolicy', 'set_mempolicy_home_node'],
  CAP_SYSLOG: ['syslog'],
  CAP_BPF: ['bpf'],
  CAP_PERFMON: ['perf_event_open'],
};

const AF_VSOCK = 40;
/** CLONE_NEWNS | NEWCGROUP | NEWUTS | NEWIPC | NEWUSER | NEWPID | NEWNET */
const CLONE_NAMESPACE_FLAGS = 0x7e020000;
const ENOSYS = 38;
const EPERM = 1;
/** PER_LINUX, UNAME26, ADDR_NO_RANDOMIZE, both, and 0xffffffff (query the current persona). */
const SAFE_PERSONALITIES = [0x0, 0x8, 0x20000, 0x20008, 0xffffffff];

const allow = (names: string[], args?: SeccompArg[]): SeccompSyscall =>
  args ? { names, action: 'SCMP_ACT_ALLOW', args } : { names, action: 'SCMP_ACT_ALLOW' };

/**
 * Docker's default seccomp profile for a container holding `capabilities` ("CAP_SYS_ADMIN" or
 * "SYS_ADMIN"), for the machine Node runs on.
 */
export function defaultSeccompProfile(capabilities: string[], nativeArch: string = nativeArchName()): LinuxSeccomp {
  const caps = new Set(capabilities.map((c) => (c.toUpperCase().startsWith('CAP_') ? c.toUpperCase() : `CAP_${c.toUpperCase()}`)));
  const syscalls: SeccompSyscall[] = [
    allow([...files, ...polling, ...memory, ...processes, ...signals, ...time, ...network, ...ipc, ...(archSpecific[nativeArch] ?? [])]),
    allow(['socket'], [{ index: 0, value: AF_VSOCK, op: 'SCMP_CMP_NE' }]),
    ...SAFE_PERSONALITIES.map((p) => allow(['personality'], [{ index: 0, value: p, op: 'SCMP_CMP_EQ' }])),
  ];
  for (const [cap, names] of Object.entries(byCapability)) if (caps.has(cap)) syscalls.push(allow(names));
  if (!caps.has('CAP_SYS_ADMIN')) {
    syscalls.push(allow(['clone'], [{ index: 0, value: CLONE_NAMESPACE_FLAGS, valueTwo: 0, op: 'SCMP_CMP_MASKED_EQ' }]));
    syscalls.push({ names: ['clone3'], action: 'SCMP_ACT_ERRNO', errnoRet: ENOSYS });
  }
  return {
    defaultAction: 'SCMP_ACT_ERRNO',
    defaultErrnoRet: EPERM,
    architectures: [...(subArchitectures[nativeArch] ?? [nativeArch])],
    syscalls,
  };
}
