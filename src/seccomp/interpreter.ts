// A classic BPF interpreter over struct seccomp_data, following the kernel's rules for seccomp
// filters (absolute 32-bit loads inside seccomp_data, forward jumps, 16 scratch words). It lets
// tests and tools ask what a compiled filter decides without installing it.
import { VesselError } from '../vessel-error.js';
import { decodeProgram, SeccompData, type Instruction } from './bpf.js';

export interface SeccompInput {
  nr: number;
  arch: number;
  instructionPointer?: bigint;
  /** Up to six 64-bit arguments; missing ones are 0. */
  args?: readonly (bigint | number)[];
}

export class BpfFault extends VesselError {
  override name = 'BpfFault';
  readonly code = 'BPF_FAULT';
  constructor(message: string, readonly pc: number) {
    // a program that faults is a bad program, not a system failure
    super(`${message} at instruction ${pc}`, { status: 'invalidParameter', object: String(pc) });
  }
}

/** The 64 bytes of struct seccomp_data, little-endian. */
export function seccompData(input: SeccompInput): Buffer {
  const buf = Buffer.alloc(SeccompData.SIZE);
  buf.writeUInt32LE(input.nr >>> 0, SeccompData.NR);
  buf.writeUInt32LE(input.arch >>> 0, SeccompData.ARCH);
  buf.writeBigUInt64LE(input.instructionPointer ?? 0n, SeccompData.INSTRUCTION_POINTER);
  (input.args ?? []).forEach((a, i) => buf.writeBigUInt64LE(BigInt.asUintN(64, BigInt(a)), SeccompData.argLow(i)));
  return buf;
}

const u32 = (v: number): number => v >>> 0;
type Alu = (a: number, b: number, pc: number) => number;
const ALU: Readonly<Record<number, Alu>> = {
  0x00: (a, b) => u32(a + b),
  0x10: (a, b) => u32(a - b),
  0x20: (a, b) => u32(Math.imul(a, b)),
  0x30: (a, b, pc) => {
    if (b === 0) throw new BpfFault('division by zero', pc);
    return u32(Math.floor(a / b));
  },
  0x40: (a, b) => u32(a | b),
  0x50: (a, b) => u32(a & b),
  0x60: (a, b) => (b >= 32 ? 0 : u32(a << b)),
  0x70: (a, b) => (b >= 32 ? 0 : a >>> b),
  0x80: (a) => u32(-a),
  0x90: (a, b, pc) => {
    if (b === 0) throw new BpfFault('division by zero', pc);
    return a % b;
  },
  0xa0: (a, b) => u32(a ^ b),
};
const JUMPS: Readonly<Record<number, (a: number, b: number) => boolean>> = {
  0x10: (a, b) => a === b,
  0x20: (a, b) => a > b,
  0x30: (a, b) => a >= b,
  0x40: (a, b) => (a & b) !== 0,
};

export interface RunResult {
  /** The SECCOMP_RET_* value. */
  action: number;
  /** Instructions executed. */
  steps: number;
}

/** Runs `filter` (bytes or decoded) on one system call. */
export function runFilter(filter: Buffer | readonly Instruction[], input: SeccompInput): RunResult {
  const program = Buffer.isBuffer(filter) ? decodeProgram(filter) : filter;
  const data = seccompData(input);
  const mem = new Array<number>(16).fill(0);
  let a = 0;
  let x = 0;
  for (let pc = 0, steps = 1; pc < program.length; pc++, steps++) {
    const ins = program[pc]!;
    const cls = ins.code & 0x07;
    const src = ins.code & 0x08 ? x : ins.k;
    switch (cls) {
      case 0x00: // LD
      case 0x01: { // LDX
        const mode = ins.code & 0xe0;
        let v: number;
        if (mode === 0x20 && cls === 0x00 && (ins.code & 0x18) === 0x00) {
          if (ins.k % 4 !== 0 || ins.k + 4 > SeccompData.SIZE) throw new BpfFault(`load outside seccomp_data (offset ${ins.k})`, pc);
          v = data.readUInt32LE(ins.k);
        } else if (mode === 0x00) v = ins.k;
        else if (mode === 0x60) v = mem[ins.k & 15]!;
        else if (mode === 0x80) v = SeccompData.SIZE; // BPF_LEN
        else throw new BpfFault(`unsupported load 0x${ins.code.toString(16)}`, pc);
        if (cls === 0x00) a = v;
        else x = v;
        break;
      }
      case 0x02: mem[ins.k & 15] = a; break; // ST
      case 0x03: mem[ins.k & 15] = x; break; // STX
      case 0x04: { // ALU
        const op = ALU[ins.code & 0xf0];
        if (!op) throw new BpfFault(`unsupported alu 0x${ins.code.toString(16)}`, pc);
        a = op(a, u32(src), pc);
        break;
      }
      case 0x05: { // JMP
        const op = ins.code & 0xf0;
        if (op === 0x00) {
          pc += ins.k;
        } else {
          const test = JUMPS[op];
          if (!test) throw new BpfFault(`unsupported jump 0x${ins.code.toString(16)}`, pc);
          pc += test(a, u32(src)) ? ins.jt : ins.jf;
        }
        if (pc + 1 >= program.length) throw new BpfFault('jump past the end', pc);
        break;
      }
      case 0x06: // RET
        return { action: (ins.code & 0x18) === 0x10 ? a : u32(ins.k), steps };
      case 0x07: // MISC: TAX / TXA
        if (ins.code & 0x80) a = x;
        else x = a;
        break;
    }
  }
  throw new BpfFault('fell off the end without a return', program.length);
}
