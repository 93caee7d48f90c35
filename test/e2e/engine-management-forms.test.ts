// docker's management forms (`container run|ls|logs|stop|rm`, `image ls`, `system info|events`) and
// `inspect` of every object kind, through the built CLI.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { engineRoot, until, type EngineRoot } from './engine-fixture.js';

let e: EngineRoot;
before(() => {
  e = engineRoot();
});
after(() => e.cleanup());

test('container, image and system sub-commands do what their short forms do', async () => {
  assert.equal(e.ok('container', 'run', '--rm', '--network', 'none', 'busybox', 'echo', 'hi'), 'hi\n');
  const id = e.ok('container', 'run', '-d', '--name', 'mf', '--network', 'none', 'busybox', 'sh', '-c', 'echo logged; sleep 60').trim();
  assert.equal(e.ok('container', 'ls', '--format', '{{.Names}}'), 'mf\n');
  assert.ok(await until(() => e.ok('container', 'logs', 'mf') === 'logged\n'), 'container logs shows its output');
  assert.equal(e.ok('container', 'stop', '-t', '0', 'mf'), 'mf\n');
  assert.equal(e.ok('container', 'ls', '-a', '--format', '{{.Names}} {{.State}}'), 'mf exited\n');
  assert.equal(e.ok('container', 'rm', 'mf'), 'mf\n');
  assert.match(e.ok('image', 'ls', '--format', '{{.Repository}}:{{.Tag}}'), /^busybox:latest$/m);
  assert.equal(e.ok('system', 'info', '--format', '{{.Containers}}'), '0\n');
  const events = e.ok('system', 'events', '--since', '0', '--until', String(Math.ceil(Date.now() / 1000) + 1), '--filter', `container=${id}`, '--format', '{{.Action}}');
  for (const action of ['create', 'start', 'die', 'destroy']) assert.match(events, new RegExp(`^${action}$`, 'm'));
  assert.match(e.ok('container', '--help'), /^ {2}run\s+Create and run a new container/m);
});

test('inspect finds containers, images, volumes and networks, and --type narrows it', () => {
  e.ok('create', '--name', 'insp', '--network', 'none', 'busybox');
  e.ok('volume', 'create', 'insp-vol');
  const image = JSON.parse(e.ok('inspect', 'busybox'))[0];
  assert.match(image.Id, /^sha256:[0-9a-f]{64}$/);
  assert.equal(e.ok('inspect', '-f', '{{.Name}}', 'insp'), '/insp\n');
  assert.equal(e.ok('inspect', '--type', 'volume', '-f', '{{.Name}}', 'insp-vol'), 'insp-vol\n');
  assert.equal(e.ok('inspect', '--type', 'network', '-f', '{{.Name}} {{.Driver}}', 'bridge'), 'bridge bridge\n');
  assert.equal(e.ok('inspect', '--type', 'image', '-f', '{{.Id}}', 'busybox'), `${image.Id}\n`);
  const wrongType = e.vessel('inspect', '--type', 'volume', 'insp');
  assert.equal(wrongType.status, 1);
  assert.equal(wrongType.stderr, 'Error: No such volume: insp\n');
  const missing = e.vessel('inspect', 'insp', 'nothing-here');
  assert.equal(missing.status, 1);
  assert.equal(missing.stderr, 'Error: No such object: nothing-here\n');
  assert.equal(JSON.parse(missing.stdout).length, 1, 'what was found is still printed');
  assert.equal(e.vessel('inspect', '--type', 'thing', 'insp').status, 125);
  e.ok('rm', 'insp');
  e.ok('volume', 'rm', 'insp-vol');
});
