// docker's own CLI as the oracle for `--format`: `docker context ls` runs without a daemon, so
// the same templates run through docker and through vessel's formatter over the rows docker
// reports (`--format json`) must print the same text and fail with the same messages.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { FormatError, formatItems } from '../../src/cli/engine/output/template.js';

const hasDocker = spawnSync('docker', ['--version']).status === 0;
const ROW_TYPE = '*formatter.clientContextContext';
const HEADERS = { DockerEndpoint: 'DOCKER ENDPOINT' };

describe('--format against the docker CLI (docker context ls)', { skip: hasDocker ? false : 'the docker CLI is not installed' }, () => {
  let config: string;
  const docker = (...args: string[]) => {
    const env: NodeJS.ProcessEnv = { ...process.env, DOCKER_CONFIG: config };
    delete env.DOCKER_HOST;
    delete env.DOCKER_CONTEXT;
    return spawnSync('docker', args, { encoding: 'utf8', env });
  };
  let rows: Record<string, unknown>[];

  before(() => {
    // a private docker config with a second context, so tables have rows of different widths
    config = mkdtempSync(join(tmpdir(), 'vessel-docker-config-'));
    const made = docker('context', 'create', 'second-context', '--description', 'made by the vessel test', '--docker', 'host=unix:///tmp/vessel-test.sock');
    assert.equal(made.status, 0, made.stderr);
    const r = docker('context', 'ls', '--format', 'json');
    rows = r.stdout.trim().split('\n').map((l) => JSON.parse(l) as Record<string, unknown>);
    assert.equal(rows.length, 2);
  });
  after(() => rmSync(config, { recursive: true, force: true }));

  const vessel = (format: string): { out: string; err: string } => {
    try {
      return { out: formatItems(format, rows, () => '', HEADERS, { rowType: ROW_TYPE }), err: '' };
    } catch (e) {
      if (e instanceof FormatError) return { out: '', err: `${e.message}\n` };
      throw e;
    }
  };

  const templates = [
    'json',
    '{{.Name}}|{{.Current}}|{{.Error}}|{{json .}}',
    '{{range $i, $p := split .DockerEndpoint "/"}}[{{$i}}:{{$p}}]{{end}}',
    '{{printf "%-16s|%5.1f|%x|%q|%v|%t|%05d" .Name 2.25 .Name .Description .Current .Current 42}}',
    '{{len .Name}} {{index .Name 0}} {{slice .Name 1 3}} {{upper .Name}} {{lower "ABC"}} {{title .Description}}',
    '{{pad .Name 2 1}}|{{truncate .Name 3}}|{{join (split .Name "e") "+"}}|{{json (split .Name "e")}}',
    '{{if .Current}}current{{else if eq .Name "second-context"}}second{{else}}other{{end}} {{with .Error}}E{{else}}ok{{end}}',
    '{{$n := .Name}}{{$n = printf "%s!" $n}}{{$n}} {{and .Current .Name}} {{or .Error "none"}} {{not .Current}}',
    '{{/* a comment */}}{{- .Name -}}  \\t {{print 1 2 "x" 3}} {{println .Name}}',
    '{{html "<a href=\'x\'>"}} {{js "it\'s <b>"}} {{urlquery "a b&c/d"}}',
    '{{define "T"}}<{{.}}>{{end}}{{template "T" .Name}}{{block "B" .Current}}[{{.}}]{{end}}',
    '{{range 3}}{{.}}{{end}} {{range split .Name ""}}{{if eq . "e"}}{{continue}}{{end}}{{if eq . "c"}}{{break}}{{end}}{{.}}{{end}}',
    '{{lt 1 2}} {{le "b" "a"}} {{gt 2.5 1.5}} {{ne .Name "x"}} {{eq .Name "x" "default" "second-context"}}',
    'table {{.Name}}\\t{{.Description}}\\t{{.DockerEndpoint}}',
    'table {{.Name}}\\t{{upper .Description}}',
    'table {{.Error}}\\t{{.Name}}',
    // errors
    '{{.Name}} {{.Foo}}',
    '{{foo .Name}}',
    '{{.Name',
    '{{range .Name}}x{{end}}',
    '{{upper .Current}}',
    '{{index . "Name"}}',
    '{{index .Name 10}}',
    '{{if}}{{end}}',
    '{{end}}',
    '{{$x}}',
    '{{printf}}',
    '{{.Name.Foo}}',
  ];

  for (const format of templates) {
    it(format, () => {
      const d = docker('context', 'ls', '--format', format.replace(/\\\\t/g, '\\t'));
      const v = vessel(format.replace(/\\\\t/g, '\\t'));
      assert.equal(v.err, d.stderr, 'stderr');
      assert.equal(v.out, d.stdout, 'stdout');
    });
  }
});

describe('--format of a single object against the docker CLI (docker version)', { skip: hasDocker ? false : 'the docker CLI is not installed' }, () => {
  it('passes the template to Go as typed: no \\t escapes, no trimming', async () => {
    const { objectFormatter } = await import('../../src/cli/engine/output/template.js');
    const format = ' {{.Client.Os}}\\t|{{printf "%q" .Client.Arch}}';
    const d = spawnSync('docker', ['version', '--format', format], { encoding: 'utf8', env: { ...process.env, DOCKER_HOST: 'unix:///nonexistent/docker.sock' } });
    const client = JSON.parse(spawnSync('docker', ['version', '--format', '{{json .Client}}'], { encoding: 'utf8', env: { ...process.env, DOCKER_HOST: 'unix:///nonexistent/docker.sock' } }).stdout) as unknown;
    assert.equal(objectFormatter(format)!({ Client: client }), d.stdout);
  });
});
