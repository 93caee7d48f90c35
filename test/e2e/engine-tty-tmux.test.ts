// `vessel run -it`, `attach` and `exec -it` on a real terminal: tmux (on a private server) plays the
// user's terminal, so window sizes, resizes, Ctrl-C and the detach keys go through a real pty.
import assert from 'node:assert/strict';
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { CLI, engineRoot, type EngineRoot } from './engine-fixture.js';

const COLS = 100;
const ROWS = 30;

class Terminal {
  /** a tmux server of our own, on a socket in a directory of our own */
  private readonly dir = mkdtempSync(join(tmpdir(), 'vessel-tty-'));
  private readonly socket = join(this.dir, 'tmux');

  constructor() {
    // a plain shell with a prompt that cannot be mistaken for the container's
    this.tmux('-f', '/dev/null', 'new-session', '-d', '-s', 't', '-x', String(COLS), '-y', String(ROWS), 'env', 'PS1=host$ ', 'sh');
  }

  tmux(...args: string[]): string {
    return execFileSync('tmux', ['-S', this.socket, ...args], { encoding: 'utf8' });
  }

  /** Types `text` and Enter. */
  type(text: string): void {
    this.tmux('send-keys', '-t', 't', '-l', text);
    this.tmux('send-keys', '-t', 't', 'Enter');
  }

  keys(...keys: string[]): void {
    this.tmux('send-keys', '-t', 't', ...keys);
  }

  resize(cols: number, rows: number): void {
    this.tmux('resize-window', '-t', 't', '-x', String(cols), '-y', String(rows));
  }

  screen(): string {
    return this.tmux('capture-pane', '-p', '-J', '-S', '-200', '-t', 't');
  }

  /** Waits (bounded) until the screen matches; returns the match. */
  async waitFor(pattern: RegExp, timeoutMs = 10_000): Promise<RegExpMatchArray> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const m = this.screen().match(pattern);
      if (m) return m;
      if (Date.now() > deadline) assert.fail(`screen never matched ${pattern}:\n${this.screen()}`);
      await new Promise((r) => setTimeout(r, 50));
    }
  }

  kill(): void {
    spawnSync('tmux', ['-S', this.socket, 'kill-server']);
    rmSync(this.dir, { recursive: true, force: true });
  }
}

let e: EngineRoot;
let vessel: string;
before(() => {
  e = engineRoot();
  vessel = `node ${CLI} --root ${e.root}`;
});
after(() => e.cleanup());

function inspectRunning(name: string): string {
  return e.ok('inspect', '-f', '{{.State.Running}}', name).trim();
}

test('run -it: size at start and after a resize, Ctrl-C, detach, attach again, exit code', async (t) => {
  const term = new Terminal();
  t.after(() => {
    term.kill();
    e.vessel('rm', '-f', 'tty-run');
  });
  term.type(`${vessel} run -it --name tty-run --network none busybox sh; echo RUN-EXIT=$?`);
  await term.waitFor(/^\/ #\s*$/m);
  term.type('echo S1 $(stty size)');
  await term.waitFor(new RegExp(`^S1 ${ROWS} ${COLS}$`, 'm'));

  term.resize(80, 20);
  term.type('echo S2 $(stty size)');
  await term.waitFor(/^S2 20 80$/m);

  // Ctrl-C interrupts the foreground sleep, not the shell: the next line runs long before 30 s
  term.type('sleep 30');
  await new Promise((r) => setTimeout(r, 300));
  term.keys('C-c');
  term.type('echo A$((6*7))');
  await term.waitFor(/^A42$/m, 5000);

  term.keys('C-p', 'C-q');
  await term.waitFor(/RUN-EXIT=0/);
  assert.equal(inspectRunning('tty-run'), 'true', 'detaching leaves the container running');

  term.resize(90, 25);
  term.type(`${vessel} attach tty-run; echo ATTACH-EXIT=$?`);
  await new Promise((r) => setTimeout(r, 500));
  term.type('echo B$((6*7)) $(stty size)');
  await term.waitFor(/^B42 25 90$/m);
  term.keys('C-p', 'C-q');
  await term.waitFor(/ATTACH-EXIT=0/);
  assert.equal(inspectRunning('tty-run'), 'true', 'detaching from attach leaves it running too');

  term.type(`${vessel} attach tty-run; echo AGAIN-EXIT=$?`);
  await new Promise((r) => setTimeout(r, 500));
  term.type('exit 3');
  await term.waitFor(/AGAIN-EXIT=3/);
  assert.equal(inspectRunning('tty-run'), 'false');
});

test('run --rm -it: the first thing the container does already sees the window size; exit code comes back', async (t) => {
  const term = new Terminal();
  t.after(() => term.kill());
  term.type(`${vessel} run --rm -it --network none busybox sh -c 'echo S0 $(stty size); read x; exit $x'; echo RUN-EXIT=$?`);
  await term.waitFor(new RegExp(`^S0 ${ROWS} ${COLS}$`, 'm'));
  term.type('3');
  await term.waitFor(/RUN-EXIT=3/);
});

test('exec -it: size at start and after a resize, Ctrl-C, output of a short command, exit code', async (t) => {
  const term = new Terminal();
  t.after(() => {
    term.kill();
    e.vessel('rm', '-f', 'tty-exec');
  });
  e.ok('run', '-d', '--name', 'tty-exec', '--network', 'none', 'busybox', 'sleep', '600');

  // a command that ends at once: its output must not be lost when it exits
  term.type(`${vessel} exec -it tty-exec echo X$((6*7)); echo SHORT-EXIT=$?`);
  await term.waitFor(/^X42\s+SHORT-EXIT=0$/m);
  // the pty is sized (process.consoleSize) before the command runs: its very first look sees it
  term.type(`${vessel} exec -it tty-exec stty size; echo SIZE-EXIT=$?`);
  await term.waitFor(new RegExp(`^${ROWS} ${COLS}\\s+SIZE-EXIT=0$`, 'm'));

  term.type(`${vessel} exec -it tty-exec sh; echo EXEC-EXIT=$?`);
  await term.waitFor(/^\/ #\s*$/m);
  term.resize(70, 15);
  term.type('echo S2 $(stty size)');
  await term.waitFor(/^S2 15 70$/m);
  term.type('sleep 30');
  await new Promise((r) => setTimeout(r, 300));
  term.keys('C-c');
  term.type('echo A$((6*7))');
  await term.waitFor(/^A42$/m, 5000);
  term.type('exit 4');
  await term.waitFor(/EXEC-EXIT=4/);
  assert.equal(inspectRunning('tty-exec'), 'true', 'the exec ended, not the container');
});
