// Runs the hooks that execute in the runtime's own namespaces (prestart, createRuntime,
// poststart, poststop), each with the state JSON on stdin and its timeout.
import type { Hook, State } from '../oci/spec.js';
import { childProcess } from '../sys/lazy.js';
import { activeTracer } from '../trace/active.js';
import { RuntimeError } from './errors.js';

export function runHook(hook: Hook, state: State, kind: string): void {
  activeTracer().span('process', 'hook', `${kind} ${[hook.path, ...(hook.args ?? []).slice(1)].join(' ')}`, () => runHookProcess(hook, state, kind));
}

function runHookProcess(hook: Hook, state: State, kind: string): void {
  const [argv0, ...args] = hook.args?.length ? hook.args : [hook.path];
  const env: Record<string, string> = {};
  for (const e of hook.env ?? []) {
    const i = e.indexOf('=');
    if (i > 0) env[e.slice(0, i)] = e.slice(i + 1);
  }
  const r = childProcess().spawnSync(hook.path, args, {
    argv0,
    env,
    input: JSON.stringify(state),
    timeout: hook.timeout ? hook.timeout * 1000 : undefined,
    stdio: ['pipe', 'inherit', 'pipe'],
    killSignal: 'SIGKILL',
  });
  const code = (r.error as NodeJS.ErrnoException | undefined)?.code;
  if (code === 'ETIMEDOUT') throw new RuntimeError('HOOK_FAILED', `${kind} hook ${hook.path} timed out after ${hook.timeout}s`, state.id);
  // EPIPE: the hook exited without reading the state; its exit status decides.
  if (r.error && code !== 'EPIPE') throw new RuntimeError('HOOK_FAILED', `${kind} hook ${hook.path}: ${r.error.message}`, state.id, { cause: r.error });
  if (r.signal) {
    const why = r.signal === 'SIGKILL' && hook.timeout ? `timed out after ${hook.timeout}s` : `killed by ${r.signal}`;
    throw new RuntimeError('HOOK_FAILED', `${kind} hook ${hook.path} ${why}`, state.id);
  }
  if (r.status !== 0) {
    const stderr = r.stderr?.toString().trim();
    throw new RuntimeError('HOOK_FAILED', `${kind} hook ${hook.path} exited with status ${r.status}${stderr ? `: ${stderr}` : ''}`, state.id);
  }
}

export function runHooks(hooks: Hook[] | undefined, state: State, kind: string): void {
  for (const h of hooks ?? []) runHook(h, state, kind);
}

/** For hooks whose failure must not stop the lifecycle (poststart, poststop): warn and go on. */
export function runHooksWarning(hooks: Hook[] | undefined, state: State, kind: string, warn: (m: string) => void): void {
  for (const h of hooks ?? []) {
    try {
      runHook(h, state, kind);
    } catch (e) {
      warn((e as Error).message);
    }
  }
}
