// The engine's lock (flock on a file plus an in-process queue): holders never overlap, across
// processes or within one; a holder killed with SIGKILL releases it; a removed lock file is never
// held through two different files; waiting does not block the event loop.
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { appendFileSync, existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { after, describe, it } from 'node:test';
import { withFileLock } from '../../src/engine/locks/file-lock.js';

const MODULE = resolve('src/engine/locks/file-lock.ts');

/** A node process that takes the lock `rounds` times, writing "+pid" and "-pid" around a pause. */
function contender(lock: string, log: string, rounds: number, holdMs: number) {
  const code = `
    import { appendFileSync } from 'node:fs';
    import { withFileLock } from ${JSON.stringify(MODULE)};
    for (let i = 0; i < ${rounds}; i++) {
      await withFileLock(${JSON.stringify(lock)}, async () => {
        appendFileSync(${JSON.stringify(log)}, '+' + process.pid + '\\n');
        await new Promise((r) => setTimeout(r, ${holdMs}));
        appendFileSync(${JSON.stringify(log)}, '-' + process.pid + '\\n');
      });
    }`;
  const child = spawn(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', code], { stdio: ['ignore', 'inherit', 'inherit'] });
  return { child, done: new Promise<number | null>((r) => child.on('exit', (c) => r(c))) };
}

function assertNoOverlap(log: string): number {
  const lines = readFileSync(log, 'utf8').trim().split('\n');
  for (let i = 0; i < lines.length; i += 2) {
    assert.equal(lines[i]![0], '+', `line ${i}: a holder enters only when the lock is free`);
    assert.equal(lines[i + 1], `-${lines[i]!.slice(1)}`, `line ${i + 1}: the holder that entered leaves before anyone else enters`);
  }
  return lines.length / 2;
}

describe('engine file lock', () => {
  const dir = mkdtempSync(join(tmpdir(), 'vessel-lock-'));
  after(() => rmSync(dir, { recursive: true, force: true }));

  it('4 processes never hold it at once', async () => {
    const lock = join(dir, 'locks', 'a.lock');
    const log = join(dir, 'a.log');
    const all = [0, 1, 2, 3].map(() => contender(lock, log, 10, 3));
    assert.deepEqual(await Promise.all(all.map((c) => c.done)), [0, 0, 0, 0]);
    assert.equal(assertNoOverlap(log), 40);
  });

  it('within one process, callers queue in arrival order and the event loop keeps running', async () => {
    const lock = join(dir, 'b.lock');
    const order: number[] = [];
    let ticks = 0;
    const ticker = setInterval(() => ticks++, 1);
    const held = contender(lock, join(dir, 'b.log'), 1, 300);
    while (!existsSync(join(dir, 'b.log'))) await new Promise((r) => setTimeout(r, 5));
    await Promise.all([1, 2, 3].map((n) => withFileLock(lock, () => void order.push(n))));
    clearInterval(ticker);
    assert.equal(await held.done, 0);
    assert.deepEqual(order, [1, 2, 3]);
    assert.ok(ticks > 50, `timers ran while waiting for another process (${ticks} ticks)`);
  });

  it('a holder killed with SIGKILL releases it', async () => {
    const lock = join(dir, 'c.lock');
    const log = join(dir, 'c.log');
    const held = contender(lock, log, 1, 60_000);
    while (!existsSync(log)) await new Promise((r) => setTimeout(r, 5));
    held.child.kill('SIGKILL');
    const start = Date.now();
    await withFileLock(lock, () => undefined);
    assert.ok(Date.now() - start < 5000);
  });

  it('a lock file removed by its holder is not held through two files', async () => {
    const lock = join(dir, 'd.lock');
    const log = join(dir, 'd.log');
    // the holder removes the file when done; waiters that opened the old file must start over
    const removing = (n: number) => withFileLock(lock, async () => {
      appendFileSync(log, `+${process.pid}\n`);
      await new Promise((r) => setTimeout(r, 5));
      appendFileSync(log, `-${process.pid}\n`);
      return n;
    }, { removeWhenDone: () => true });
    const other = contender(lock, log, 10, 3);
    const mine = await Promise.all(Array.from({ length: 10 }, (_, i) => removing(i)));
    assert.deepEqual(mine, [0, 1, 2, 3, 4, 5, 6, 7, 8, 9]);
    assert.equal(await other.done, 0);
    assert.equal(assertNoOverlap(log), 20);
  });
});
