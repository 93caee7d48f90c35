// --format and --filter end to end through the built CLI: docker's Go templates on ps, images,
// inspect and version, its `table` and `json` formats, its errors and exit codes, and the ps and
// images filters over real containers and images.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { engineRoot, type EngineRoot } from './engine-fixture.js';

let e: EngineRoot;
const NONE = ['--network', 'none'];
const lines = (s: string) => s.split('\n').filter(Boolean);

before(() => {
  e = engineRoot();
  e.ok('create', ...NONE, '--name', 'web', '--label', 'app=web', '--label', 'tier=front', 'busybox', 'true');
  e.ok('create', ...NONE, '--name', 'db', '--label', 'app=db', '-v', 'dbdata:/data', 'busybox', 'true');
  const r = e.vessel('run', ...NONE, '--name', 'failed', '--label', 'app=job', 'busybox', 'sh', '-c', 'exit 3');
  assert.equal(r.status, 3, r.stderr);
  e.ok('run', ...NONE, '--name', 'done', 'busybox', 'true');
});
after(() => e?.cleanup());

const ps = (...args: string[]) => lines(e.ok('ps', '--format', '{{.Names}}', ...args)).sort();

test('ps --filter: docker filters, several values OR, different filters AND, status implies -a', () => {
  assert.deepEqual(ps('-a', '--filter', 'label=app=web'), ['web']);
  assert.deepEqual(ps('-a', '--filter', 'label=app'), ['db', 'failed', 'web']);
  assert.deepEqual(ps('-a', '--filter', 'label=app', '--filter', 'label=tier=front'), ['web']);
  assert.deepEqual(ps('--filter', 'status=created'), ['db', 'web']);
  assert.deepEqual(ps('--filter', 'status=exited'), ['done', 'failed']);
  assert.deepEqual(ps('-a', '--filter', 'exited=3'), ['failed']);
  assert.deepEqual(ps('-a', '--filter', 'exited=0'), ['done']);
  assert.deepEqual(ps('-a', '--filter', 'name=^/d'), ['db', 'done']);
  assert.deepEqual(ps('-a', '--filter', 'name=web', '--filter', 'name=db'), ['db', 'web']);
  assert.deepEqual(ps('-a', '--filter', 'name=d', '--filter', 'status=created'), ['db']);
  assert.deepEqual(ps('-a', '--filter', 'volume=/data'), ['db']);
  assert.deepEqual(ps('-a', '--filter', 'volume=dbdata'), ['db']);
  assert.deepEqual(ps('-a', '--filter', 'ancestor=busybox').length, 4);
  assert.deepEqual(ps('-a', '--filter', 'before=failed'), ['db', 'web']);
  assert.deepEqual(ps('-a', '--filter', 'since=db'), ['done', 'failed']);
  assert.deepEqual(ps('-a', '--filter', 'health=none').length, 4);
  assert.deepEqual(ps('-a', '--filter', 'is-task=true'), []);
  const id = e.ok('ps', '-aq', '--no-trunc', '--filter', 'name=^/web$').trim();
  assert.deepEqual(ps('-a', '--filter', `id=${id.slice(0, 10)}`), ['web']);
  // without -a (and without a status filter) only running containers are listed
  assert.deepEqual(ps('--filter', 'label=app'), []);
});

test('ps --filter: docker refuses a filter without = (125) and an unknown filter (1)', () => {
  const bad = e.vessel('ps', '--filter', 'status');
  assert.equal(bad.status, 125);
  assert.match(bad.stderr, /bad format of filter \(expected name=value\)/);
  const unknown = e.vessel('ps', '--filter', 'color=red');
  assert.equal(unknown.status, 1);
  assert.match(unknown.stderr, /invalid filter 'color'/);
  assert.match(e.vessel('ps', '--filter', 'status=sleeping').stderr, /invalid filter 'status=sleeping'/);
});

test('ps --format: templates, table, json and the .Label method', () => {
  const out = e.ok('ps', '-a', '--filter', 'label=app', '--format', '{{range $k, $v := split .Labels ","}}{{if $k}};{{end}}{{$v}}{{end}}|{{.Label "app" | upper}}|{{printf "%-8s|" .Names}}');
  assert.deepEqual(lines(out).sort(), ['app=db|DB|db      |', 'app=job|JOB|failed  |', 'app=web;tier=front|WEB|web     |']);
  const table = e.ok('ps', '-a', '--filter', 'name=^/web$', '--format', 'table {{.ID}}\\t{{.Names}}\\t{{.Label "tier"}}|');
  const [head, row] = lines(table);
  // the header runs over a map of names, where `.Label "tier"` fails: docker keeps what it wrote
  assert.equal(head, 'CONTAINER ID   NAMES     ');
  assert.match(row!, /^[0-9a-f]{12} {3}web {7}front\|$/);
  const json = lines(e.ok('ps', '-a', '--format', 'json')).map((l) => JSON.parse(l) as Record<string, unknown>);
  assert.equal(json.length, 4);
  assert.deepEqual(Object.keys(json[0]!), [...Object.keys(json[0]!)].sort(), 'docker marshals a row with sorted keys');
  const wrong = e.vessel('ps', '-a', '--format', '{{.Nope}}');
  assert.equal(wrong.status, 1);
  assert.match(wrong.stderr, /template parsing error: template: :1:2: executing "" at <\.Nope>: can't evaluate field Nope in type \*formatter\.ContainerContext/);
  assert.match(e.vessel('ps', '--format', '{{.Names').stderr, /template parsing error: template: :1: unclosed action/);
});

test('inspect --format: the raw JSON with docker missing-key errors, json and maps', () => {
  assert.equal(e.ok('inspect', '--format', '{{.Name}} {{.Config.Labels.app}} {{.Config.Labels.nothere}} {{.State.ExitCode}}', 'failed'), '/failed job <no value> 3\n');
  assert.equal(e.ok('inspect', '-f', '{{range $k, $v := .Config.Labels}}{{$k}}={{$v}};{{end}}{{json .Config.Labels}}', 'web'), 'app=web;tier=front;{"app":"web","tier":"front"}\n');
  assert.equal(e.ok('container', 'inspect', '-f', '{{if eq .State.Status "created"}}new{{else}}old{{end}} {{len .Mounts}}', 'web', 'db'), 'new 0\nnew 1\n');
  const missing = e.vessel('inspect', '-f', '{{.Foo}}', 'web');
  assert.equal(missing.status, 1);
  assert.match(missing.stderr, /template parsing error: template: :1:2: executing "" at <\.Foo>: map has no entry for key "Foo"/);
  const asJson = JSON.parse(e.ok('inspect', '--format', 'json', 'web')) as { Name: string }[];
  assert.equal(asJson[0]!.Name, '/web');
  assert.equal(e.ok('image', 'inspect', '-f', '{{index .RepoTags 0}}', 'busybox'), 'busybox:latest\n');
  assert.equal(e.ok('volume', 'inspect', '-f', '{{.Name}} {{.Driver}}', 'dbdata'), 'dbdata local\n');
});

test('images --filter and --format', () => {
  const images = (...args: string[]) => lines(e.ok('images', '--format', '{{.Repository}}:{{.Tag}}', ...args));
  assert.deepEqual(images('--filter', 'reference=busy*'), ['busybox:latest']);
  assert.deepEqual(images('--filter', 'reference=*:latest'), ['busybox:latest']);
  assert.deepEqual(images('--filter', 'reference=alpine'), []);
  assert.deepEqual(images('--filter', 'dangling=true'), []);
  assert.deepEqual(images('--filter', 'dangling=false'), ['busybox:latest']);
  assert.deepEqual(images('--filter', 'before=busybox'), []);
  assert.deepEqual(images('--filter', 'since=busybox'), []);
  assert.deepEqual(images('--filter', 'until=1s'), ['busybox:latest']);
  assert.deepEqual(images('--filter', 'label=no.such.label'), []);
  assert.equal(e.vessel('images', '--filter', 'dangling=maybe').status, 1);
  assert.equal(e.vessel('images', '--filter', 'size=1').status, 1);
  const table = lines(e.ok('images', '--format', 'table {{.Repository}}\\t{{.Tag}}'));
  assert.deepEqual(table, ['REPOSITORY   TAG', 'busybox      latest']);
  const json = JSON.parse(e.ok('images', '--format', 'json')) as { Repository: string };
  assert.equal(json.Repository, 'busybox');
});

test('version and info --format', () => {
  assert.equal(e.ok('version', '--format', '{{.Client.Os}}/{{.Client.Arch}}'), `linux/${process.arch === 'x64' ? 'amd64' : process.arch}\n`);
  assert.equal(JSON.parse(e.ok('version', '--format', 'json')).Client.Os, 'linux');
  assert.match(e.ok('info', '--format', '{{json .}}'), /^\{.*\}\n$/);
});
