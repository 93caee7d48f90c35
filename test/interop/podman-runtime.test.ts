// podman (with conmon) driving vessel-runtime as its OCI runtime. Needs the peers from
// ../shared/peers-setup.sh (podman, conmon); not part of the default suite: `npm run test:interop`.
import assert from 'node:assert/strict';
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { makeBusyboxRootfs } from '../fixtures/busybox.js';

const RUNTIME = resolve('dist/vessel-runtime.cjs');
const IMAGE = `localhost/vessel-interop-busybox:${process.pid}`;
const podman = (args: string[], input?: string) =>
  spawnSync('podman', ['--runtime', RUNTIME, ...args], { encoding: 'utf8', input, timeout: 60000 });

describe('podman with --runtime vessel-runtime', () => {
  const created: string[] = [];
  before(() => {
    const dir = mkdtempSync(join(tmpdir(), 'vessel-interop-'));
    try {
      makeBusyboxRootfs(dir);
      const tar = execFileSync('tar', ['-C', dir, '-c', '.'], { maxBuffer: 64 * 1024 * 1024 });
      execFileSync('podman', ['import', '-q', '-c', 'CMD ["/bin/sh"]', '-c', 'ENV PATH=/bin', '-', IMAGE], { input: tar });
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
  after(() => {
    for (const c of created) podman(['rm', '-f', c]);
    spawnSync('podman', ['rmi', '-f', IMAGE]);
  });

  it('run --rm prints the program output', () => {
    const r = podman(['run', '--rm', IMAGE, 'echo', 'hello']);
    assert.equal(r.status, 0, r.stderr);
    assert.equal(r.stdout, 'hello\n');
  });

  it('returns the container exit code', () => {
    assert.equal(podman(['run', '--rm', IMAGE, 'sh', '-c', 'exit 3']).status, 3);
  });

  it('-d, exec, stop and rm work through conmon', () => {
    const r = podman(['run', '-d', IMAGE, 'sleep', '300']);
    assert.equal(r.status, 0, r.stderr);
    const id = r.stdout.trim();
    created.push(id);
    assert.equal(podman(['exec', id, 'sh', '-c', 'echo in-$$']).stdout, 'in-2\n');
    assert.match(podman(['ps', '--format', '{{.ID}} {{.Status}}']).stdout, new RegExp(`^${id.slice(0, 12)} Up`, 'm'));
    assert.equal(podman(['stop', '-t', '1', id]).status, 0);
    assert.match(podman(['ps', '-a', '--format', '{{.ID}} {{.Status}}']).stdout, new RegExp(`^${id.slice(0, 12)} Exited`, 'm'));
    assert.equal(podman(['rm', id]).status, 0);
  });

  it('-t gets a terminal through the console socket', () => {
    const r = spawnSync('script', ['-qc', `podman --runtime ${RUNTIME} run --rm -t ${IMAGE} sh -c 'tty; echo tty-ok'`, '/dev/null'], { encoding: 'utf8', timeout: 60000 });
    assert.match(r.stdout, /\/dev\/pts\/0/);
    assert.match(r.stdout, /tty-ok/);
  });
});
