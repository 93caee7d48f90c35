// The OCI runtime as a library: the engine calls these in-process; `vessel-runtime` is a CLI over them.
export { runtimeContext, type RuntimeContext } from './context.js';
export { RuntimeError, type RuntimeErrorCode } from './errors.js';
export { create, type CreateOptions } from './verbs/create.js';
export { start } from './verbs/start.js';
export { state } from './verbs/state.js';
export { kill } from './verbs/kill.js';
export { deleteContainer } from './verbs/delete.js';
export { exec, type ExecOptions } from './verbs/exec.js';
export { list, type ContainerSummary } from './verbs/list.js';
export { pause, resume } from './verbs/pause.js';
export { containerPids } from './verbs/ps.js';
export { defaultSpec } from './verbs/spec.js';
export { features } from './verbs/features.js';
export { run, waitForwardingSignals, exitStatus, type RunOptions } from './verbs/run.js';
export { DEFAULT_STATE_ROOT } from './state-store.js';
export { VERSION } from './version.js';
export type { StdioFds, SupervisorLaunch } from './plan/init.js';
export type { ContainerRecord } from './state-store.js';
