import assert from 'node:assert/strict';
import { it } from 'node:test';
import { parseByteSize } from '../../src/byte-size.js';
import { parseBytes } from '../../src/engine/config/parse.js';
import { parseSizeFlag } from '../../src/runtime/verbs/update.js';

it('parses docker sizes once for the engine and the runtime', () => {
  const cases: [string, number | null][] = [
    ['1048576', 1048576], ['512m', 512 * 1024 ** 2], ['1g', 1024 ** 3], ['1G', 1024 ** 3], ['1gb', 1024 ** 3], ['2GiB', 2 * 1024 ** 3],
    ['1 k', 1024], ['1.5k', 1536], ['0.5b', 0], ['10b', 10], ['1t', 1024 ** 4], ['1p', 1024 ** 5], ['-1', -1],
    ['', null], ['m', null], ['1x', null], ['-2', null], ['1mm', null], ['1..5m', null],
  ];
  for (const [text, bytes] of cases) assert.equal(parseByteSize(text), bytes, text);
  assert.equal(parseBytes('--memory', '6m'), 6 * 1024 ** 2);
  assert.throws(() => parseBytes('--memory', 'lots'), { message: 'invalid argument "lots" for "--memory" flag: expected a size such as 512m or 1g' });
  assert.equal(parseSizeFlag('1g', '--memory'), 1024 ** 3);
  assert.throws(() => parseSizeFlag('lots', '--memory'), /--memory: "lots" is not a size/);
});
