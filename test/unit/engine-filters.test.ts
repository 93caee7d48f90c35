import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { containerFilter, type ContainerFacts } from '../../src/engine/filters/containers.js';
import { FilterFormatError, InvalidFilterError, parseFilters } from '../../src/engine/filters/filter-args.js';
import { globMatch } from '../../src/engine/filters/glob.js';
import { filterImages, type ImageFacts } from '../../src/engine/filters/images.js';
import { parseFilterTime } from '../../src/engine/filters/time-value.js';

const base: ContainerFacts = {
  Id: 'aaaa1111', Name: 'web', ImageID: 'sha256:img1', State: 'running', ExitCode: 0, Started: true, Created: 1000,
  Labels: { app: 'web', tier: 'front' }, Ports: [{ PrivatePort: 80, PublicPort: 8080, Type: 'tcp' }, { PrivatePort: 53, Type: 'udp' }],
  Mounts: [{ Name: 'data', Source: '/var/lib/vessel/volumes/data/_data', Destination: '/data' }, { Source: '/etc/hosts', Destination: '/h' }],
  Networks: { bridge: { NetworkID: 'net0bridge' } },
};
const containers: ContainerFacts[] = [
  base,
  { ...base, Id: 'bbbb2222', Name: 'db', ImageID: 'sha256:img2', State: 'exited', ExitCode: 3, Created: 2000, Labels: { app: 'db' }, Ports: [], Mounts: [], Networks: { backend: { NetworkID: 'net1back' } }, Health: 'healthy' },
  { ...base, Id: 'cccc3333', Name: 'new', State: 'created', Started: false, ExitCode: 0, Created: 3000, Labels: {}, Ports: [], Mounts: [], Networks: {}, Health: 'starting' },
  { ...base, Id: 'dddd4444', Name: 'web-2', State: 'exited', ExitCode: 0, Created: 4000, Ports: [{ PrivatePort: 443, Type: 'tcp' }], Mounts: [] },
];
const lookups = {
  imageFamily: (r: string) => new Set(r === 'busybox' ? ['sha256:img1'] : r === 'base' ? ['sha256:img1', 'sha256:img2'] : []),
  container: (r: string) => {
    const c = containers.find((x) => x.Name === r || x.Id.startsWith(r));
    if (!c) throw new Error(`No such container: ${r}`);
    return c;
  },
};
const names = (...flags: string[]) => containers.filter(containerFilter(parseFilters(flags), lookups).matches).map((c) => c.Name);

describe('ps --filter', () => {
  it('id and name match as docker does: exactly or as a regular expression; values of one filter OR', () => {
    assert.deepEqual(names('id=bbbb'), ['db']);
    assert.deepEqual(names('name=web'), ['web', 'web-2']);
    assert.deepEqual(names('name=^/web$'), ['web']);
    assert.deepEqual(names('name=db', 'name=new'), ['db', 'new']);
  });
  it('label: a key or key=value, every label value must hold', () => {
    assert.deepEqual(names('label=app'), ['web', 'db', 'web-2']);
    assert.deepEqual(names('label=app=web'), ['web', 'web-2']);
    assert.deepEqual(names('label=app=web', 'label=tier=front'), ['web', 'web-2']);
    assert.deepEqual(names('label=app=db', 'label=tier'), []);
  });
  it('status, exited (only containers that ran), health (none without a check)', () => {
    assert.deepEqual(names('status=exited'), ['db', 'web-2']);
    assert.deepEqual(names('status=created', 'status=running'), ['web', 'new']);
    assert.deepEqual(names('exited=0'), ['web-2']);
    assert.deepEqual(names('exited=3', 'exited=0'), ['db', 'web-2']);
    assert.deepEqual(names('health=healthy'), ['db']);
    assert.deepEqual(names('health=none'), ['web', 'web-2']);
    assert.equal(containerFilter(parseFilters(['status=exited']), lookups).includesStopped, true);
    assert.equal(containerFilter(parseFilters(['name=x']), lookups).includesStopped, false);
  });
  it('ancestor (the image and images built on it), before, since', () => {
    assert.deepEqual(names('ancestor=busybox'), ['web', 'new', 'web-2']);
    assert.deepEqual(names('ancestor=base'), ['web', 'db', 'new', 'web-2']);
    assert.deepEqual(names('before=new'), ['web', 'db']);
    assert.deepEqual(names('since=db'), ['new', 'web-2']);
    assert.deepEqual(names('since=web', 'before=web-2'), ['db', 'new']);
    assert.throws(() => names('before=nothing'), /No such container: nothing/);
  });
  it('volume (name, source or destination), network (name or id prefix)', () => {
    assert.deepEqual(names('volume=data'), ['web']);
    assert.deepEqual(names('volume=/h'), ['web']);
    assert.deepEqual(names('volume=/etc/hosts'), ['web']);
    assert.deepEqual(names('network=bridge'), ['web', 'web-2']);
    assert.deepEqual(names('network=net1'), ['db']);
  });
  it('publish and expose: ports, ranges and protocols; either kind may match', () => {
    assert.deepEqual(names('publish=8080'), ['web']);
    assert.deepEqual(names('publish=80'), []);
    assert.deepEqual(names('expose=80'), ['web']);
    assert.deepEqual(names('expose=53/udp'), ['web']);
    assert.deepEqual(names('expose=53'), []);
    assert.deepEqual(names('expose=400-500/tcp'), ['web-2']);
    assert.deepEqual(names('publish=9999', 'expose=443'), ['web-2']);
  });
  it('isolation and is-task', () => {
    assert.deepEqual(names('isolation=default').length, 4);
    assert.deepEqual(names('is-task=true'), []);
    assert.deepEqual(names('is-task=false').length, 4);
  });
  it('different filters AND', () => {
    assert.deepEqual(names('name=web', 'status=exited'), ['web-2']);
    assert.deepEqual(names('label=app', 'exited=3', 'network=backend'), ['db']);
  });
  it("refuses what docker refuses, with docker's words", () => {
    assert.throws(() => parseFilters(['status']), FilterFormatError);
    assert.throws(() => names('color=red'), { message: "invalid filter 'color'" });
    assert.throws(() => names('status=sleeping'), { message: "invalid filter 'status=sleeping'" });
    assert.throws(() => names('exited=x'), InvalidFilterError);
    assert.throws(() => names('health=great'), InvalidFilterError);
    assert.throws(() => names('is-task=maybe'), InvalidFilterError);
    assert.throws(() => names('publish=http'), InvalidFilterError);
  });
});

const images: ImageFacts[] = [
  { Id: 'sha256:1', RepoTags: ['busybox:latest', 'busybox:1.36'], RepoDigests: [], Created: 100, Labels: { maintainer: 'me' } },
  { Id: 'sha256:2', RepoTags: ['example.com/app/web:1'], RepoDigests: [], Created: 200, Labels: {} },
  { Id: 'sha256:3', RepoTags: [], RepoDigests: [], Created: 300, Labels: { maintainer: 'you' } },
  { Id: 'sha256:4', RepoTags: ['alpine:3'], RepoDigests: [], Created: 400, Labels: {} },
];
const imageLookups = {
  image: (r: string) => {
    const i = images.find((x) => x.Id === r || x.RepoTags.includes(r) || x.RepoTags.includes(`${r}:latest`));
    if (!i) throw new Error(`No such image: ${r}`);
    return i;
  },
  nowMs: 1000_000,
};
const ids = (...flags: string[]) => filterImages(images, parseFilters(flags), imageLookups).map((i) => `${i.Id.slice(7)}${i.RepoTags.length ? `(${i.RepoTags.join(',')})` : ''}`);

describe('images --filter', () => {
  it('dangling, label', () => {
    assert.deepEqual(ids('dangling=true'), ['3']);
    assert.deepEqual(ids('dangling=false').length, 3);
    assert.deepEqual(ids('label=maintainer'), ['1(busybox:latest,busybox:1.36)', '3']);
    assert.deepEqual(ids('label=maintainer=you'), ['3']);
    assert.throws(() => ids('dangling=yes'), InvalidFilterError);
  });
  it('before, since, until', () => {
    assert.deepEqual(ids('before=alpine:3'), ['1(busybox:latest,busybox:1.36)', '2(example.com/app/web:1)', '3']);
    assert.deepEqual(ids('since=example.com/app/web:1'), ['3', '4(alpine:3)']);
    assert.deepEqual(ids('since=busybox', 'before=alpine:3'), ['2(example.com/app/web:1)', '3']);
    assert.deepEqual(ids('until=250'), ['1(busybox:latest,busybox:1.36)', '2(example.com/app/web:1)']);
    // now is 1000 s: 16 minutes before it is 40 s, older than every image
    assert.deepEqual(ids('until=16m'), []);
    assert.deepEqual(ids('until=10m'), ['1(busybox:latest,busybox:1.36)', '2(example.com/app/web:1)', '3']);
    assert.throws(() => ids('until=soon'), InvalidFilterError);
    assert.throws(() => ids('before=nothing'), /No such image/);
  });
  it('reference: globs on the familiar name and tag, narrowing the tags; values OR', () => {
    assert.deepEqual(ids('reference=busybox'), ['1(busybox:latest,busybox:1.36)']);
    assert.deepEqual(ids('reference=busybox:1.*'), ['1(busybox:1.36)']);
    assert.deepEqual(ids('reference=*/app/*'), ['2(example.com/app/web:1)']);
    assert.deepEqual(ids('reference=app/*'), []);
    assert.deepEqual(ids('reference=example.com/*/*'), ['2(example.com/app/web:1)']);
    assert.deepEqual(ids('reference=alp?ne', 'reference=busybox:latest'), ['1(busybox:latest)', '4(alpine:3)']);
    assert.deepEqual(ids('reference=busybox', 'label=maintainer=you'), []);
  });
  it('refuses unknown filters', () => {
    assert.throws(() => ids('status=x'), { message: "invalid filter 'status'" });
  });
});

describe('filter helpers', () => {
  it("Go's path.Match", () => {
    assert.ok(globMatch('a*/b', 'abc/b'));
    assert.ok(!globMatch('a*', 'a/b'));
    assert.ok(globMatch('[a-c]?', 'bz'));
    assert.ok(!globMatch('[^a-c]?', 'bz'));
    assert.ok(globMatch('a\\*', 'a*'));
  });
  it("docker's times: durations, unix seconds, dates", () => {
    assert.equal(parseFilterTime('1h30m', 10_000_000), 10_000_000 - 5_400_000);
    assert.equal(parseFilterTime('1700000000', 0), 1_700_000_000_000);
    assert.equal(parseFilterTime('2024-01-02T00:00:00Z', 0), Date.UTC(2024, 0, 2));
    assert.equal(parseFilterTime('tomorrow', 0), undefined);
  });
});
