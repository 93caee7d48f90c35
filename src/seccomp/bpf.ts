// Classic BPF as seccomp uses it: the opcodes, the seccomp_data layout the filter reads, and the
// encoding of struct sock_filter (u16 code, u8 jt, u8 jf, u32 k; host order, little-endian here).

export const BPF = {
  LD_W_ABS: 0x20, // BPF_LD | BPF_W | BPF_ABS
  ALU_AND_K: 0x54, // BPF_ALU | BPF_AND | BPF_K
  JA: 0x05, // BPF_JMP | BPF_JA
  JEQ_K: 0x15, // BPF_JMP | BPF_JEQ | BPF_K
  JGT_K: 0x25,
  JGE_K: 0x35,
  JSET_K: 0x45,
  RET_K: 0x06, // BPF_RET | BPF_K
} as const;

/** The kernel refuses longer programs (BPF_MAXINSNS). */
export const BPF_MAXINSNS = 4096;
/** Conditional jump offsets are one byte. */
export const MAX_JUMP = 255;

/** Offsets inside struct seccomp_data { int nr; u32 arch; u64 instruction_pointer; u64 args[6]; }. */
export const SeccompData = {
  NR: 0,
  ARCH: 4,
  INSTRUCTION_POINTER: 8,
  SIZE: 64,
  argLow: (index: number): number => 16 + 8 * index,
  argHigh: (index: number): number => 20 + 8 * index,
} as const;

export interface Instruction {
  code: number;
  jt: number;
  jf: number;
  k: number;
}

export const INSTRUCTION_SIZE = 8;

export function encodeProgram(program: readonly Instruction[]): Buffer {
  const buf = Buffer.alloc(program.length * INSTRUCTION_SIZE);
  program.forEach((ins, i) => {
    const at = i * INSTRUCTION_SIZE;
    buf.writeUInt16LE(ins.code, at);
    buf.writeUInt8(ins.jt, at + 2);
    buf.writeUInt8(ins.jf, at + 3);
    buf.writeUInt32LE(ins.k >>> 0, at + 4);
  });
  return buf;
}

export function decodeProgram(filter: Buffer): Instruction[] {
  const program: Instruction[] = [];
  for (let at = 0; at + INSTRUCTION_SIZE <= filter.length; at += INSTRUCTION_SIZE) {
    program.push({ code: filter.readUInt16LE(at), jt: filter[at + 2]!, jf: filter[at + 3]!, k: filter.readUInt32LE(at + 4) });
  }
  return program;
}
