import assert from 'node:assert/strict';
import { test } from 'node:test';
import { UsageError } from '../../src/cli/engine/command.js';
import { flagHelp, parseFlags } from '../../src/cli/engine/flags.js';
import { humanDuration, humanSize } from '../../src/cli/engine/output/human.js';
import { renderTable } from '../../src/cli/engine/output/table.js';
import { dockerTemplate, FormatError, formatItems } from '../../src/cli/engine/output/template.js';

const specs = {
  all: { type: 'bool', short: 'a', description: 'all' },
  quiet: { type: 'bool', short: 'q', description: 'quiet' },
  output: { type: 'string', short: 'o', description: 'out' },
  env: { type: 'strings', short: 'e', description: 'env' },
  count: { type: 'int', short: 'n', description: 'n' },
  'tls-verify': { type: 'bool', description: 'tls', default: true },
} as const;

test('docker-style flags', () => {
  const p = parseFlags(specs, ['-aq', 'x', '-ofile', '--env=A=1', '-e', 'B=2', '--count', '3', '--tls-verify=false', '--', '-y']);
  assert.deepEqual(p.args, ['x', '-y']);
  assert.equal(p.flags.all, true);
  assert.equal(p.flags.quiet, true);
  assert.equal(p.flags.output, 'file');
  assert.deepEqual(p.flags.env, ['A=1', 'B=2']);
  assert.equal(p.flags.count, 3);
  assert.equal(p.flags['tls-verify'], false);
  assert.equal(parseFlags(specs, ['-o', 'f', '-']).args[0], '-');
  assert.deepEqual(parseFlags(specs, ['img', '-a'], { interspersed: false }).args, ['img', '-a']);
  assert.equal(parseFlags(specs, ['--help']).help, true);
  assert.equal(parseFlags(specs, ['-h']).help, true);
  assert.throws(() => parseFlags(specs, ['--nope']), UsageError);
  assert.throws(() => parseFlags(specs, ['-z']), UsageError);
  assert.throws(() => parseFlags(specs, ['-o']), UsageError);
  assert.throws(() => parseFlags(specs, ['-n', 'x']), UsageError);
  assert.match(flagHelp(specs), /-o, --output string\s+out/);
});

test('tables, sizes, durations like docker', () => {
  assert.equal(renderTable(['REPOSITORY', 'TAG', 'IMAGE ID'], [['busybox', 'latest', 'abc']]), 'REPOSITORY   TAG       IMAGE ID\nbusybox      latest    abc\n');
  assert.equal(humanSize(4261234), '4.26MB');
  assert.equal(humanSize(512), '512B');
  assert.equal(humanSize(1230), '1.23kB');
  assert.equal(humanDuration(90), 'About a minute');
  assert.equal(humanDuration(3 * 86400), '3 days');
  assert.equal(humanDuration(20 * 86400), '2 weeks');
});

test('Go-style templates', () => {
  const item = { Repository: 'busybox', Tag: 'latest', Config: { Env: ['A=1'] }, Labels: { k: 'v' } };
  assert.equal(dockerTemplate('{{.Repository}}:{{.Tag}}').execute(item), 'busybox:latest');
  assert.equal(dockerTemplate('{{json .Config}}').execute(item), '{"Env":["A=1"]}');
  assert.equal(dockerTemplate('{{join .Config.Env ","}} {{index .Labels "k"}} {{upper .Tag}}').execute(item), 'A=1 v LATEST');
  // docker marshals a list row as a map: sorted keys
  assert.equal(formatItems('json', [item], () => ''), '{"Config":{"Env":["A=1"]},"Labels":{"k":"v"},"Repository":"busybox","Tag":"latest"}\n');
  assert.equal(formatItems('table {{.Repository}}\\t{{.Tag}}', [item], () => '', { Repository: 'REPOSITORY' }), 'REPOSITORY   TAG\nbusybox      latest\n');
  assert.throws(() => dockerTemplate('{{.A').execute({}), FormatError);
});

test('progress: plain lines off a terminal, redrawn lines on one', async () => {
  const { progressView } = await import('../../src/cli/engine/output/progress.js');
  const { PassThrough } = await import('node:stream');
  const collect = (tty: boolean) => {
    const out = Object.assign(new PassThrough(), { isTTY: tty });
    let text = '';
    out.on('data', (c: Buffer) => (text += c.toString()));
    const view = progressView(out, false);
    view.onEvent({ type: 'layer', id: 'aaa', status: 'Waiting' });
    view.onEvent({ type: 'layer', id: 'aaa', status: 'Downloading', current: 10, total: 100 });
    view.onEvent({ type: 'layer', id: 'aaa', status: 'Downloading', current: 50, total: 100 });
    view.onEvent({ type: 'layer', id: 'bbb', status: 'Already exists' });
    view.onEvent({ type: 'layer', id: 'aaa', status: 'Pull complete' });
    view.done();
    return text;
  };
  assert.equal(collect(false), 'aaa: Waiting\naaa: Downloading\nbbb: Already exists\naaa: Pull complete\n');
  const tty = collect(true);
  assert.match(tty, /\x1b\[2Kaaa: Pull complete\n\x1b\[2Kbbb: Already exists\n$/);
});
