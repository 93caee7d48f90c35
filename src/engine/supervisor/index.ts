// The container supervisor (native/supervisor): launching it from a plan, and talking to it.
export { supervisorArgv, supervisorEnv, supervisorPath, type SupervisorFds, type SupervisorOptions } from './argv.js';
export { supervisorLaunchOps, type SupervisorLaunch } from './launch.js';
export { readExitFile, type ContainerExit } from './exit-file.js';
export { attach, type AttachSession, type AttachStreams } from './attach.js';
export { readLogs, timeToNanos, type LogEntry, type ReadLogsOptions } from './logs.js';
export { SupervisorError, type SupervisorErrorCode } from './errors.js';
export { ClientFrame, StreamId, type OutputStream } from './protocol.js';
