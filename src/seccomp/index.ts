// The seccomp module's public surface: OCI profile -> BPF, docker's default profile, and an
// interpreter to ask a compiled filter what it decides.
export { compileSeccomp, type CompiledSeccomp, type CompileOptions } from './compile.js';
export { defaultSeccompProfile } from './default-profile.js';
export { SeccompError, type SeccompErrorCode } from './errors.js';
export { runFilter, seccompData, BpfFault, type SeccompInput, type RunResult } from './interpreter.js';
export { describeAction } from './actions.js';
export { AUDIT_ARCH_I386, AUDIT_ARCH_X86_64, X32_SYSCALL_BIT } from './arch.js';
export { syscallNumber } from './syscalls.js';
