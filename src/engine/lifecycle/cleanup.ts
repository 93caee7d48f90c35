// What happens when a container's process has ended (run by its supervisor's --on-exit, or inline
// by stop/rm when no supervisor is left): record how it ended, take down its kernel objects, then
// apply --rm or the restart policy. Teardown is idempotent; only the caller that moves the row
// out of "running" applies the policy.
import type { ContainerRecord } from '../config/types.js';
import type { Engine } from '../engine.js';
import { backendOf } from '../runtime-backend/index.js';
import { appendEvent } from '../store/events.js';
import { withContainerLock } from '../locks/container-lock.js';
import { removeLocked } from './remove.js';
import { startLocked, teardown } from './start.js';
import { liveState } from './status.js';

/** Whether the kernel OOM-killed in the container's cgroup; undefined once the cgroup is gone. */
export function oomKilled(engine: Engine, id: string): boolean | undefined {
  const rec = engine.containers.find(id);
  if (!rec) return undefined;
  try {
    const cgroup = backendOf(engine, rec).cgroup(id);
    return cgroup?.exists() ? cgroup.oomKillCount() > 0 : undefined;
  } catch {
    return undefined;
  }
}

function shouldRestart(rec: ContainerRecord, exitCode: number): boolean {
  const p = rec.hostConfig.RestartPolicy;
  if (rec.stoppedByUser) return false;
  if (p.Name === 'always' || p.Name === 'unless-stopped') return true;
  if (p.Name === 'on-failure') return exitCode !== 0 && (p.MaximumRetryCount === 0 || rec.restartCount < p.MaximumRetryCount);
  return false;
}

export function cleanupContainer(engine: Engine, id: string): Promise<void> {
  return withContainerLock(engine, id, () => cleanupLocked(engine, id));
}

/** The cleanup for a caller holding the container's lock. */
export async function cleanupLocked(engine: Engine, id: string): Promise<void> {
  const rec = engine.containers.find(id);
  if (!rec) return;
  const live = liveState(engine, rec);
  if (live.status === 'running' || live.status === 'paused') return; // a restart already happened
  // Cleanups are serialised by the container's lock; the first records the end, a later one finds
  // it recorded (or a new run started). Teardown comes before the exit is recorded, so whoever waits
  // for the record without the lock (wait, a foreground run) sees the container gone from the
  // kernel by then. The OOM count is read before teardown; a cleanup that finds the cgroup already
  // gone cannot know it, and leaves the record to the one that tore it down.
  const oom = oomKilled(engine, id);
  if (oom === undefined && !backendOf(engine, rec).exists(id)) return;
  await teardown(engine, rec);
  const claimed = engine.images.db.transaction(() => {
    const now = engine.containers.find(id);
    if (!now || !['running', 'paused', 'restarting'].includes(now.state) || now.startedAt !== rec.startedAt) return false;
    engine.containers.update(id, { state: 'exited', pid: 0, exitCode: live.exitCode, finishedAt: live.finishedAt ?? new Date().toISOString(), oomKilled: oom ?? false });
    return true;
  });
  if (!claimed) return;
  if (oom) appendEvent(engine.images.db, 'container', 'oom', id, { name: rec.name });
  appendEvent(engine.images.db, 'container', 'die', id, { name: rec.name, image: rec.image, exitCode: String(live.exitCode) });
  if (rec.hostConfig.AutoRemove) {
    await removeLocked(engine, engine.containers.get(id), { force: true, volumes: true });
    return;
  }
  if (shouldRestart(rec, live.exitCode)) {
    engine.containers.update(id, { restartCount: rec.restartCount + 1 });
    await startLocked(engine, engine.containers.get(id));
  }
}
