// The OCI runtime a container runs under, as the engine sees it (podman's OCIRuntime): verbs only,
// no engine state. `builtin` is vessel's own runtime library in-process; `external` drives runc or
// crun through their command lines, with vessel's supervisor as the container's parent.
import type { CgroupManager } from '../../cgroups/index.js';
import type { Process, Spec } from '../../oci/spec.js';
import type { StdioFds } from '../../runtime/index.js';
import type { SupervisorOptions } from '../supervisor/argv.js';

export type BackendStatus = 'creating' | 'created' | 'running' | 'paused' | 'stopped';

export interface BackendCreateRequest {
  id: string;
  bundle: string;
  /** The supervisor as the engine configures it (its fds as numbered in this process). */
  supervisor: SupervisorOptions;
  /** The supervisor's own stdin, stdout and stderr (its diagnostics file). */
  supervisorStdio: Required<StdioFds>;
  /** The container's stdio; empty with a terminal. */
  stdio: StdioFds;
  /** With a terminal: our end of the socket pair whose other end the supervisor holds as its
   * --console-fd; the runtime sends the pty master through it. */
  consoleFd?: number;
}

export interface BackendCreated {
  /** the container's init, in the host's pid namespace */
  pid: number;
  supervisorPid: number;
}

export interface BackendExecRequest {
  id: string;
  process: Process;
  /** A connected socket to send the pty master to. */
  consoleFd?: number;
  /** fds for the process's stdin, stdout and stderr (default: the caller's own) */
  stdio?: { stdin: number; stdout: number; stderr: number };
}

/** What exec needs of a created container. */
export interface BackendContainer {
  pid: number;
  spec: Spec;
}

export interface RuntimeBackend {
  /** as in HostConfig.Runtime */
  readonly name: string;
  /** How `exec` gives a process a terminal: the pty master is sent to the caller's console socket
   * (`consoleFd`), or the runtime's own command, on the caller's stdio, makes the pty and relays
   * it (runc and crun: `runc exec` accepts a console socket only with --detach). */
  readonly execTerminal: 'console-socket' | 'relayed-by-runtime';
  /** Creates the container under a supervisor, blocked before the user's program until start. */
  create(req: BackendCreateRequest): BackendCreated;
  start(id: string): void;
  kill(id: string, signal: string, all: boolean): void;
  pause(id: string): void;
  resume(id: string): void;
  /** Removes the runtime's state and the container's cgroup; no-op when there is none. */
  delete(id: string, force: boolean): void;
  /** Whether the runtime holds state for this container. */
  exists(id: string): boolean;
  /** Cheap enough to call in a polling loop; `pid` is the init the engine recorded. */
  status(id: string, pid: number): BackendStatus;
  container(id: string): BackendContainer | undefined;
  /** The container's cgroup while the runtime holds its state. */
  cgroup(id: string): CgroupManager | undefined;
  /** Every process in the container. */
  pids(id: string): number[];
  /** Starts a process in the container; it is our child (wait for it with waitForwardingSignals). */
  exec(req: BackendExecRequest): number;
}
