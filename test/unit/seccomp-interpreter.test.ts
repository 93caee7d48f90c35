// The BPF interpreter the compiler's tests rely on, checked against hand-written programs.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { BPF, encodeProgram, SeccompData, type Instruction } from '../../src/seccomp/bpf.js';
import { BpfFault, runFilter, seccompData } from '../../src/seccomp/interpreter.js';

const ins = (code: number, k: number, jt = 0, jf = 0): Instruction => ({ code, jt, jf, k });

test('seccomp_data is laid out as the kernel does, little-endian', () => {
  const d = seccompData({ nr: 59, arch: 0xc000003e, instructionPointer: 0x401000n, args: [1n, 0x1122334455667788n] });
  assert.equal(d.length, 64);
  assert.equal(d.readUInt32LE(0), 59);
  assert.equal(d.readUInt32LE(4), 0xc000003e);
  assert.equal(d.readBigUInt64LE(8), 0x401000n);
  assert.equal(d.readUInt32LE(SeccompData.argLow(1)), 0x55667788);
  assert.equal(d.readUInt32LE(SeccompData.argHigh(1)), 0x11223344);
});

test('loads, jumps, ALU, scratch memory and returns', () => {
  const program = [
    ins(BPF.LD_W_ABS, SeccompData.argLow(0)), // A = arg0 low
    ins(BPF.ALU_AND_K, 0xff), // A &= 0xff
    ins(0x02, 3), // M[3] = A
    ins(0x04, 1), // A += 1
    ins(0x07, 0), // X = A
    ins(0x60, 3), // A = M[3]
    ins(0x1d, 0, 0, 1), // if A == X goto +0 else +1
    ins(BPF.RET_K, 1),
    ins(BPF.JGE_K, 0x80, 1, 0),
    ins(0x16, 0), // ret A
    ins(BPF.JA, 0),
    ins(BPF.RET_K, 0x7fff0000),
  ];
  assert.deepEqual(runFilter(encodeProgram(program), { nr: 0, arch: 0, args: [0x1234n] }), { action: 0x34, steps: 9 });
  assert.equal(runFilter(program, { nr: 0, arch: 0, args: [0x90n] }).action, 0x7fff0000);
});

test('faults: loads outside seccomp_data, jumps past the end, no return', () => {
  assert.throws(() => runFilter([ins(BPF.LD_W_ABS, 64), ins(BPF.RET_K, 0)], { nr: 0, arch: 0 }), BpfFault);
  assert.throws(() => runFilter([ins(BPF.LD_W_ABS, 2), ins(BPF.RET_K, 0)], { nr: 0, arch: 0 }), BpfFault);
  assert.throws(() => runFilter([ins(BPF.JA, 5), ins(BPF.RET_K, 0)], { nr: 0, arch: 0 }), BpfFault);
  assert.throws(() => runFilter([ins(BPF.LD_W_ABS, 0)], { nr: 0, arch: 0 }), BpfFault);
});
