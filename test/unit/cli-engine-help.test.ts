// Every `vessel` command documents itself: a description, and a one-line description for each flag;
// `run` and `create` have every flag docker's `run` has that vessel takes.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { commands } from '../../src/cli/engine/commands/index.js';

/** The `run` flags vessel takes, as the README (and issue #5) lists them. */
const RUN_FLAGS = [
  'detach', 'interactive', 'tty', 'rm', 'name', 'env', 'env-file', 'volume', 'mount', 'tmpfs', 'workdir', 'user', 'entrypoint',
  'hostname', 'read-only', 'memory', 'memory-swap', 'cpus', 'cpu-shares', 'cpuset-cpus', 'pids-limit', 'blkio-weight', 'cap-add',
  'cap-drop', 'privileged', 'security-opt', 'ulimit', 'sysctl', 'stop-signal', 'stop-timeout', 'label', 'restart', 'publish',
  'publish-all', 'network', 'dns', 'dns-search', 'dns-option', 'add-host', 'init', 'pull', 'runtime',
];

test('every command and every flag has a one-line description', async () => {
  const missing: string[] = [];
  for (const c of commands) {
    const spec = (await c.load()).default;
    if (!spec.description.trim() || spec.description.includes('\n')) missing.push(`${c.name}: command description`);
    for (const [flag, f] of Object.entries(spec.flags ?? {})) {
      if (!f.description.trim() || f.description.includes('\n')) missing.push(`${c.name} --${flag}`);
    }
  }
  assert.deepEqual(missing, []);
});

test('run and create take every run flag of issue #5 (create: all but --detach)', async () => {
  for (const name of ['run', 'create']) {
    const spec = (await commands.find((c) => c.name === name)!.load()).default;
    const flags = Object.keys(spec.flags ?? {});
    const wanted = name === 'create' ? RUN_FLAGS.filter((f) => f !== 'detach') : RUN_FLAGS;
    assert.deepEqual(wanted.filter((f) => !flags.includes(f)), [], `${name} lacks flags`);
  }
});
