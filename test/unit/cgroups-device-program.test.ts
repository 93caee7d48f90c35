// The v2 device program, run by a small interpreter of the instructions it uses and compared with
// the v1 semantics it emulates (deny by default, last matching rule wins).
import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { LinuxDeviceCgroup } from '../../src/oci/spec.js';
import { DEFAULT_ALLOWED_DEVICES, normalizeDeviceRule } from '../../src/cgroups/devices.js';
import type { DeviceRule } from '../../src/cgroups/devices.js';
import { BpfCode, deviceProgram, encodeProgram } from '../../src/cgroups/v2/device-program.js';
import type { Insn } from '../../src/cgroups/v2/device-program.js';
import { v1DeviceLines } from '../../src/cgroups/v1/devices.js';

interface Access {
  type: 'b' | 'c';
  major: number;
  minor: number;
  access: 'r' | 'w' | 'm' | 'rw';
}

const TYPE = { b: 1, c: 2 };
const BITS = { m: 1, r: 2, w: 4 } as Record<string, number>;

function run(prog: Insn[], a: Access): number {
  const bits = [...a.access].reduce((m, c) => m | BITS[c]!, 0);
  const ctx = [(bits << 16) | TYPE[a.type], a.major, a.minor];
  const r = new Array<number>(11).fill(0);
  for (let pc = 0, steps = 0; pc < prog.length && steps < 10000; pc++, steps++) {
    const i = prog[pc]!;
    switch (i.code) {
      case BpfCode.LDX_W_MEM: r[i.dst] = ctx[i.off / 4]!; break;
      case BpfCode.ALU32_AND_K: r[i.dst] = (r[i.dst]! & i.imm) >>> 0; break;
      case BpfCode.ALU32_RSH_K: r[i.dst] = r[i.dst]! >>> i.imm; break;
      case BpfCode.ALU32_MOV_K: r[i.dst] = i.imm >>> 0; break;
      case BpfCode.ALU32_MOV_X: r[i.dst] = r[i.src]!; break;
      case BpfCode.JEQ_K: if (r[i.dst] === i.imm) pc += i.off; break;
      case BpfCode.JNE_K: if (r[i.dst] !== i.imm) pc += i.off; break;
      case BpfCode.EXIT: return r[0]!;
      default: throw new Error(`unknown opcode ${i.code}`);
    }
  }
  throw new Error('program ran off its end');
}

// The v1 model: the last rule that matches decides; allow needs every requested bit granted
function reference(rules: DeviceRule[], a: Access): number {
  for (const rule of [...rules].reverse()) {
    if (rule.type !== 'a' && rule.type !== a.type) continue;
    if (rule.major !== null && rule.major !== a.major) continue;
    if (rule.minor !== null && rule.minor !== a.minor) continue;
    const covered = [...a.access].every((c) => rule.access.includes(c));
    const overlaps = [...a.access].some((c) => rule.access.includes(c));
    if (rule.allow && covered) return 1;
    if (!rule.allow && overlaps) return 0;
  }
  return 0;
}

const RULESETS: Record<string, LinuxDeviceCgroup[]> = {
  empty: [],
  docker: [{ allow: false, access: 'rwm' }, ...DEFAULT_ALLOWED_DEVICES],
  allowAllThenDenyNull: [{ allow: true, access: 'rwm' }, { allow: false, type: 'c', major: 1, minor: 3, access: 'rwm' }],
  partial: [{ allow: true, type: 'c', major: 1, minor: 5, access: 'r' }, { allow: false, type: 'c', major: 1, minor: 5, access: 'w' }],
  blockWildcard: [{ allow: true, type: 'b', major: 7, minor: null, access: 'rw' }, { allow: false, type: 'a', major: 7, minor: 2, access: 'w' }],
};

const ACCESSES: Access[] = [];
for (const type of ['b', 'c'] as const)
  for (const [major, minor] of [[1, 3], [1, 5], [1, 9], [7, 0], [7, 2], [136, 4], [5, 2]] as const)
    for (const access of ['r', 'w', 'm', 'rw'] as const) ACCESSES.push({ type, major, minor, access });

for (const [name, spec] of Object.entries(RULESETS)) {
  test(`device program agrees with v1 semantics: ${name}`, () => {
    const rules = spec.map(normalizeDeviceRule);
    const prog = deviceProgram(rules);
    for (const a of ACCESSES) assert.equal(run(prog, a), reference(rules, a), `${a.type} ${a.major}:${a.minor} ${a.access}`);
  });
}

test('every jump stays inside the program and nothing follows an unconditional rule', () => {
  for (const spec of Object.values(RULESETS)) {
    const prog = deviceProgram(spec.map(normalizeDeviceRule));
    prog.forEach((i, pc) => {
      if (i.code === BpfCode.JEQ_K || i.code === BpfCode.JNE_K) assert.ok(pc + 1 + i.off < prog.length, `jump at ${pc}`);
    });
    assert.equal(prog.at(-1)!.code, BpfCode.EXIT);
  }
  const allowAll = deviceProgram([normalizeDeviceRule({ allow: true, access: 'rwm' })]);
  assert.equal(allowAll.filter((i) => i.code === BpfCode.EXIT).length, 1);
});

test('instructions encode as struct bpf_insn', () => {
  const buf = encodeProgram([{ code: BpfCode.LDX_W_MEM, dst: 4, src: 1, off: 4, imm: 0 }, { code: BpfCode.JNE_K, dst: 4, src: 0, off: 3, imm: 136 }]);
  assert.deepEqual([...buf], [0x61, 0x14, 4, 0, 0, 0, 0, 0, 0x55, 0x04, 3, 0, 136, 0, 0, 0]);
});

test('device rules are validated and written as v1 lines', () => {
  assert.throws(() => normalizeDeviceRule({ allow: true, access: 'rx' }), /subset of "rwm"/);
  assert.throws(() => normalizeDeviceRule({ allow: true, type: 'p' as 'c' }), /not a, b or c/);
  assert.deepEqual(v1DeviceLines(normalizeDeviceRule({ allow: false, access: 'rwm' })), ['a']);
  assert.deepEqual(v1DeviceLines(normalizeDeviceRule({ allow: true, type: 'c', major: 136, access: 'wr' })), ['c 136:* rw']);
  assert.deepEqual(v1DeviceLines(normalizeDeviceRule({ allow: true, type: 'a', major: 7, minor: -1, access: 'r' })), ['c 7:* r', 'b 7:* r']);
});
