// Starting the resolver process on demand and asking it to serve the networks that just gained
// containers. One resolver per engine database, found through an abstract unix socket named
// after the database's path.
import { spawn } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import { connect } from 'node:net';
import { fileURLToPath } from 'node:url';
import { NetworkError } from '../errors.js';
import type { SyncReply } from './resolver.js';

const START_TIMEOUT_MS = 5000;

export function controlName(dbPath: string): string {
  return `vessel-dns-${createHash('sha256').update(dbPath).digest('hex').slice(0, 16)}`;
}

/**
 * How to run the resolver: the bundled dist/vessel-dns.cjs next to the bundled CLI, or this
 * source tree's main.ts through tsx (tests, and a CLI bundle without the resolver beside it).
 */
function resolverCommand(): string[] {
  const here = import.meta.url;
  if (!here.endsWith('.ts')) {
    const bundled = fileURLToPath(new URL('./vessel-dns.cjs', here));
    if (existsSync(bundled)) return [bundled];
    const source = fileURLToPath(new URL('../src/network/dns/main.ts', here));
    return ['--import', import.meta.resolve('tsx'), source];
  }
  return ['--import', import.meta.resolve('tsx'), fileURLToPath(new URL('./main.ts', here))];
}

function sync(name: string): Promise<SyncReply> {
  return new Promise((resolve, reject) => {
    const sock = connect(`\0${name}`);
    let text = '';
    sock.once('connect', () => sock.write('sync\n'));
    sock.on('data', (d) => (text += d.toString()));
    sock.once('end', () => {
      try {
        resolve(JSON.parse(text) as SyncReply);
      } catch (e) {
        reject(e);
      }
    });
    sock.once('error', reject);
  });
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/**
 * Makes sure the resolver for `dbPath` runs and listens on the gateway of every user network that
 * has containers; starts it if needed. Throws if it cannot listen on one of them.
 */
export async function syncResolver(dbPath: string): Promise<SyncReply> {
  const name = controlName(dbPath);
  let reply: SyncReply | undefined;
  try {
    reply = await sync(name);
  } catch {
    const child = spawn(process.execPath, [...resolverCommand(), dbPath], { detached: true, stdio: 'ignore', cwd: '/' });
    child.unref();
    const deadline = Date.now() + START_TIMEOUT_MS;
    while (!reply) {
      try {
        reply = await sync(name);
      } catch (cause) {
        if (Date.now() > deadline) throw new NetworkError('ATTACH_FAILED', `the DNS resolver did not start: ${(cause as Error).message}`, dbPath, { cause });
        await sleep(20);
      }
    }
  }
  if (!reply.ok) throw new NetworkError('ATTACH_FAILED', `the DNS resolver cannot listen: ${reply.errors.join('; ')}`, dbPath);
  return reply;
}

/** Whether a resolver for `dbPath` is listening (read from /proc, so it does not keep it awake). */
export function resolverRunning(dbPath: string): boolean {
  return readFileSync('/proc/net/unix', 'utf8').includes(` @${controlName(dbPath)}\n`);
}
