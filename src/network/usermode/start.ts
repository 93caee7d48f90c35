// Starting a user-mode network for a rootless container: the chosen stack is started detached (it
// lives as long as the container, not as long as this process), we wait until it has configured
// the namespace (a default route appears in the container's routing table), and with slirp4netns
// the published ports are added through its API socket. A failure stops the stack and says why.
import { closeSync, openSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { childProcess, net } from '../../sys/lazy.js';
import { UserModeNetworkError } from './errors.js';
import { chooseStack, pastaArgs, slirp4netnsArgs, stackNameservers, type PortForward, type UserModeStack } from './stacks.js';

export interface UserModeRequest {
  /** A process in the container's user and network namespaces (its init). */
  pid: number;
  ports: PortForward[];
  /** A directory of the container's own: the stack's log, and slirp4netns's API socket. */
  dir: string;
  stack?: UserModeStack;
  /** How long the stack may take to configure the namespace. */
  timeoutMs?: number;
}

export interface UserModeNetwork {
  stack: UserModeStack;
  /** The stack's process: stop it with `stop()` (or by this pid) when the container is gone. */
  pid: number;
  /** Resolvers for the container's resolv.conf; undefined: the host's own are reachable. */
  nameservers?: string[];
  stop(): void;
}

/** True once the namespace of `pid` has a default IPv4 route; undefined when the process is gone. */
function configured(pid: number): boolean | undefined {
  try {
    return readFileSync(`/proc/${pid}/net/route`, 'utf8').split('\n').slice(1).some((l) => l.split('\t')[1] === '00000000');
  } catch {
    return undefined;
  }
}

function stopQuietly(pid: number): void {
  try {
    process.kill(pid, 'SIGTERM');
  } catch {
    // already gone
  }
}

function logTail(log: string): string {
  try {
    return readFileSync(log, 'utf8').trim().split('\n').slice(-3).join('; ');
  } catch {
    return '';
  }
}

export async function startUserModeNetwork(req: UserModeRequest): Promise<UserModeNetwork> {
  const { stack, program } = chooseStack(req.stack);
  const log = join(req.dir, `${stack}.log`);
  const apiSocket = join(req.dir, 'slirp4netns.sock');
  const args = stack === 'pasta' ? pastaArgs(req.pid, req.ports) : slirp4netnsArgs(req.pid, apiSocket);
  const logFd = openSync(log, 'w', 0o600);
  let child;
  try {
    child = childProcess().spawn(program, args, { detached: true, stdio: ['ignore', logFd, logFd] });
  } finally {
    closeSync(logFd);
  }
  let exited: string | undefined;
  child.on('exit', (code, signal) => (exited = signal ? `killed by ${signal}` : `exit status ${code}`));
  child.on('error', (e) => (exited = e.message));
  child.unref();
  const stop = () => child.pid && stopQuietly(child.pid);
  const fail = (why: string): never => {
    stop();
    const tail = logTail(log);
    throw new UserModeNetworkError('USERMODE_FAILED', `${stack} for container process ${req.pid}: ${why}${tail ? ` (${tail})` : ''}`, stack);
  };
  const deadline = Date.now() + (req.timeoutMs ?? 10_000);
  for (;;) {
    if (exited) fail(`exited before configuring the network namespace: ${exited}`);
    const state = configured(req.pid);
    if (state === undefined) fail('the container process is gone');
    if (state) break;
    if (Date.now() > deadline) fail('did not configure the network namespace in time');
    await sleep(5);
  }
  if (stack === 'slirp4netns') {
    for (const p of req.ports) {
      try {
        await slirpAddForward(apiSocket, p);
      } catch (e) {
        fail(`cannot forward ${p.hostIp ?? '0.0.0.0'}:${p.hostPort} to ${p.containerPort}/${p.proto}: ${(e as Error).message}`);
      }
    }
  }
  return { stack, pid: child.pid!, nameservers: stackNameservers(stack), stop };
}

/** One request on slirp4netns's API socket: {"execute": "add_hostfwd", ...} -> {"return": ...} or {"error": ...}. */
function slirpAddForward(apiSocket: string, p: PortForward): Promise<void> {
  const request = JSON.stringify({
    execute: 'add_hostfwd',
    arguments: { proto: p.proto, host_addr: p.hostIp ?? '0.0.0.0', host_port: p.hostPort, guest_port: p.containerPort },
  });
  return new Promise((resolve, reject) => {
    const sock = net().createConnection(apiSocket);
    let reply = '';
    sock.setEncoding('utf8');
    sock.on('connect', () => sock.end(request));
    sock.on('data', (d: string) => (reply += d));
    sock.on('error', reject);
    sock.on('close', () => {
      let parsed: { return?: unknown; error?: { desc?: string } };
      try {
        parsed = JSON.parse(reply) as typeof parsed;
      } catch {
        reject(new Error(`unexpected reply ${JSON.stringify(reply)}`));
        return;
      }
      if (parsed.error) reject(new Error(parsed.error.desc ?? JSON.stringify(parsed.error)));
      else resolve();
    });
  });
}
