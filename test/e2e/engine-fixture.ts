// Shared by the engine's end-to-end tests: a temporary engine root with busybox:latest imported
// by scripts/import-busybox.sh, and the built CLI (run `npm run build` first).
import { execFileSync, spawnSync, type SpawnSyncReturns } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';

export const CLI = resolve('dist/vessel.cjs');

export interface EngineRoot {
  root: string;
  vessel(...args: string[]): SpawnSyncReturns<string>;
  /** stdout of a command that must succeed */
  ok(...args: string[]): string;
  cleanup(): void;
}

export function engineRoot(): EngineRoot {
  if (!existsSync(CLI)) throw new Error('the engine e2e tests need the built CLI: npm run build');
  const root = mkdtempSync(join(tmpdir(), 'vessel-e2e-'));
  try {
    execFileSync('sh', ['scripts/import-busybox.sh', '--root', root], { stdio: 'pipe' });
  } catch (e) {
    rmSync(root, { recursive: true, force: true });
    throw e;
  }
  // The embedded resolver forwards names it does not know to the host's resolvers: tests must not
  // reach them, so it reads an empty resolver list unless a test points it at its own fake upstream.
  const noUpstreams = join(root, 'no-upstreams.conf');
  writeFileSync(noUpstreams, '');
  const env = () => ({ ...process.env, VESSEL_DNS_HOST_RESOLV_CONF: process.env.VESSEL_DNS_HOST_RESOLV_CONF ?? noUpstreams });
  const vessel = (...args: string[]) => spawnSync(process.execPath, [CLI, '--root', root, ...args], { encoding: 'utf8', timeout: 60_000, env: env() });
  const ok = (...args: string[]) => {
    const r = vessel(...args);
    if (r.status !== 0) throw new Error(`vessel ${args.join(' ')} failed (${r.status}): ${r.stderr}`);
    return r.stdout;
  };
  return {
    root,
    vessel,
    ok,
    cleanup() {
      // every container, network (bridge link and iptables rules), volume and image of this root
      vessel('system', 'reset', '-f');
      const ids = vessel('ps', '-aq', '--no-trunc').stdout.split('\n').filter(Boolean);
      if (ids.length) vessel('rm', '-f', '-v', ...ids);
      for (const line of readFileSync('/proc/mounts', 'utf8').split('\n').reverse()) {
        const target = line.split(' ')[1];
        if (target?.startsWith(root)) spawnSync('umount', ['-l', target]);
      }
      rmSync(root, { recursive: true, force: true });
    },
  };
}

/** Mounts under `root`, container cgroups of these ids, and processes of these supervisors. */
export function leftovers(root: string, ids: string[]): string[] {
  const found: string[] = [];
  for (const line of readFileSync('/proc/mounts', 'utf8').split('\n')) if (line.split(' ')[1]?.startsWith(root)) found.push(`mount ${line}`);
  for (const id of ids) {
    for (const ctl of ['memory', 'pids', 'cpu', 'freezer', 'unified']) {
      const p = `/sys/fs/cgroup/${ctl}/vessel/${id}`;
      if (existsSync(p)) found.push(`cgroup ${p}`);
    }
    for (const pid of readdirPids()) {
      try {
        if (readFileSync(`/proc/${pid}/cmdline`, 'utf8').includes(id)) found.push(`process ${pid}`);
      } catch {
        // gone
      }
    }
    if (existsSync(join(root, 'runtime', id))) found.push(`runtime state ${id}`);
    if (existsSync(join(root, 'containers', id))) found.push(`container dir ${id}`);
  }
  return found;
}

function readdirPids(): string[] {
  return execFileSync('ls', ['/proc'], { encoding: 'utf8' }).split('\n').filter((p) => /^\d+$/.test(p));
}

export async function until(cond: () => boolean, timeoutMs = 10_000): Promise<boolean> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (cond()) return true;
    await new Promise((r) => setTimeout(r, 50));
  }
  return cond();
}
