// The Dockerfile frontend as pure logic: parsing (directives, continuations, heredocs, flags,
// errors with file and line), variable substitution, the stage graph and target pruning.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { expandWord, expandWords, keyValues } from '../../src/build/dockerfile/expand.js';
import { parseDockerfile } from '../../src/build/dockerfile/parse.js';
import { BuildError } from '../../src/build/errors.js';
import { neededStages, stageGraph, targetStage } from '../../src/build/stages.js';
import { componentRegex } from '../../src/build/context.js';

const vars: Record<string, string> = { A: 'a', EMPTY: '', SPACED: 'x y' };
const lookup = (n: string) => vars[n];

test('unknown instructions and flags name the file and line, as docker does', () => {
  assert.throws(() => parseDockerfile('FROM busybox\n\nRUNN echo\n'), (e: BuildError) => e.message === 'Dockerfile:3: unknown instruction: RUNN' && e.code === 'UNKNOWN_INSTRUCTION');
  assert.throws(() => parseDockerfile('FROM busybox\nCOPY --frm=x a b\n', 'x.Dockerfile'), /x\.Dockerfile:2: unknown flag: --frm/);
  assert.throws(() => parseDockerfile('FROM busybox\nRUN <<EOF\necho\n'), /Dockerfile:2: unterminated heredoc EOF/);
});

test('continuations join lines and drop comments inside; the escape directive changes the character', () => {
  const df = parseDockerfile('FROM busybox\nRUN echo a \\\n# note\n  b\nLABEL x=1\n');
  assert.equal(df.instructions[1]!.rest, 'echo a   b');
  assert.equal(df.instructions[2]!.line, 5);
  const bt = parseDockerfile('# escape=`\nFROM busybox\nRUN echo a `\n  b\n');
  assert.equal(bt.escape, '`');
  assert.equal(bt.instructions[1]!.rest, 'echo a   b');
  assert.equal(parseDockerfile('# syntax=docker/dockerfile:1\nFROM x\n').directives.syntax, 'docker/dockerfile:1');
});

test('exec form, flags and heredocs', () => {
  const df = parseDockerfile('FROM --platform=linux/amd64 busybox AS b\nRUN ["echo", "x"]\nCOPY --from=b --chmod=644 a /b\nRUN <<-EOT bash\n\techo hi\n\tEOT\nCOPY <<"X" /f\n$HOME\nX\n');
  assert.deepEqual(df.instructions[0]!.flags, [{ name: 'platform', value: 'linux/amd64' }]);
  assert.deepEqual(df.instructions[1]!.json, ['echo', 'x']);
  assert.deepEqual(df.instructions[2]!.flags.map((f) => f.name), ['from', 'chmod']);
  assert.deepEqual(df.instructions[3]!.heredocs, [{ name: 'EOT', content: 'echo hi\n', expand: true }]);
  assert.deepEqual(df.instructions[4]!.heredocs, [{ name: 'X', content: '$HOME\n', expand: false }]);
});

test('variable substitution with docker modifiers, quotes and escapes', () => {
  assert.equal(expandWord('${A}-$A-${NONE:-def}-${A:+alt}-${EMPTY:-e}-${EMPTY-e}-${NONE+x}', lookup), 'a-a-def-alt-e--');
  assert.equal(expandWord("'$A' \"$A\" \\$A", lookup), '$A a $A');
  assert.deepEqual(expandWords('$SPACED "b c" d\\ e', lookup), ['x y', 'b c', 'd e']);
  assert.deepEqual(keyValues('ENV', 'K=$A "Q R"="s t"', lookup, '\\', 'Dockerfile:1'), [['K', 'a'], ['Q R', 's t']]);
  assert.deepEqual(keyValues('ENV', 'K value with spaces', lookup, '\\', 'Dockerfile:1'), [['K', 'value with spaces']]);
});

test('stage graph: global ARGs expand FROM, --target keeps only what it needs', () => {
  const df = parseDockerfile('ARG BASE=busybox\nFROM $BASE AS a\nRUN x\nFROM busybox AS b\nRUN y\nFROM a AS c\nCOPY --from=b /y /y\nFROM busybox AS d\n');
  const graph = stageGraph(df, (n) => (n === 'BASE' ? 'busybox' : undefined));
  assert.equal(graph.stages[0]!.base, 'busybox');
  assert.deepEqual(neededStages(graph, targetStage(graph, 'c')).map((s) => s.name), ['a', 'b', 'c']);
  assert.deepEqual(neededStages(graph, targetStage(graph)).map((s) => s.name), ['d']);
  assert.throws(() => targetStage(graph, 'nope'), /target stage "nope" could not be found/);
  assert.throws(() => stageGraph(parseDockerfile('RUN x\n'), () => undefined), /no build stage in current context/);
});

test('COPY wildcards match one path component as docker does', () => {
  assert.ok(componentRegex('x*.conf').test('x1.conf'));
  assert.ok(!componentRegex('x*.conf').test('y1.conf'));
  assert.ok(componentRegex('file?.[ab]').test('file1.b'));
  assert.ok(!componentRegex('[!a]x').test('ax'));
});
