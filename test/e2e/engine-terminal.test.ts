// `vessel run -it` through a real pseudo-terminal (util-linux `script` plays the user's terminal):
// the container gets a pty of its own, what the user types reaches it, and the exit code comes back.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { after, before, test } from 'node:test';
import { CLI, engineRoot, type EngineRoot } from './engine-fixture.js';

let e: EngineRoot;
before(() => {
  e = engineRoot();
});
after(() => e.cleanup());

test('run -it gives the container a terminal, passes input through, and returns its exit code', () => {
  const inner = `node ${CLI} --root ${e.root} run --rm -it --network none busybox sh -c 'tty; test -t 0 && echo stdin-tty; read x; echo got-$x; exit 3'`;
  const r = spawnSync('script', ['-qec', inner, '/dev/null'], { input: 'hello\n', encoding: 'utf8', timeout: 30_000 });
  const out = r.stdout.replace(/\r/g, '');
  assert.equal(r.status, 3, out + r.stderr);
  assert.match(out, /^\/dev\/pts\/0$/m, 'a pty from the container\'s own devpts');
  assert.match(out, /^stdin-tty$/m);
  assert.match(out, /^got-hello$/m);
});
