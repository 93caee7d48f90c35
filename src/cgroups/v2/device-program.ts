// The eBPF program (BPF_PROG_TYPE_CGROUP_DEVICE) that enforces device rules on cgroup v2. The kernel
// runs it on every open/mknod of a device with a struct bpf_cgroup_dev_ctx
// { u32 access_type /* (access << 16) | type */; u32 major; u32 minor; } and allows when it returns 1.
// Rules are tested last-to-first and the first match decides, which is v1's "last rule wins" on top
// of the default deny: an allow rule matches when it grants every requested access, a deny rule when
// it forbids any of them.
import type { DeviceRule } from '../devices.js';

// struct bpf_insn: u8 code; u8 dst_reg:4, src_reg:4; s16 off; s32 imm
export interface Insn {
  code: number;
  dst: number;
  src: number;
  off: number;
  imm: number;
}

export const BpfCode = {
  LDX_W_MEM: 0x61, // BPF_LDX | BPF_W | BPF_MEM
  ALU32_AND_K: 0x54,
  ALU32_RSH_K: 0x74,
  ALU32_MOV_K: 0xb4,
  ALU32_MOV_X: 0xbc,
  JEQ_K: 0x15,
  JNE_K: 0x55,
  EXIT: 0x95,
} as const;

const DEV_TYPE = { b: 1, c: 2 } as const; // BPF_DEVCG_DEV_BLOCK, BPF_DEVCG_DEV_CHAR
const ACCESS_BIT: Record<string, number> = { m: 1, r: 2, w: 4 }; // BPF_DEVCG_ACC_MKNOD/READ/WRITE
const ALL_ACCESS = 7;

// registers after the prologue
const R_TYPE = 2;
const R_ACCESS = 3;
const R_MAJOR = 4;
const R_MINOR = 5;

const insn = (code: number, dst: number, src: number, off: number, imm: number): Insn => ({ code, dst, src, off, imm });

const isJump = (i: Insn) => i.code === BpfCode.JNE_K || i.code === BpfCode.JEQ_K;

function accessMask(access: string): number {
  return [...access].reduce((m, c) => m | (ACCESS_BIT[c] ?? 0), 0);
}

const PROLOGUE: Insn[] = [
  insn(BpfCode.LDX_W_MEM, R_TYPE, 1, 0, 0),
  insn(BpfCode.ALU32_AND_K, R_TYPE, 0, 0, 0xffff),
  insn(BpfCode.LDX_W_MEM, R_ACCESS, 1, 0, 0),
  insn(BpfCode.ALU32_RSH_K, R_ACCESS, 0, 0, 16),
  insn(BpfCode.LDX_W_MEM, R_MAJOR, 1, 4, 0),
  insn(BpfCode.LDX_W_MEM, R_MINOR, 1, 8, 0),
];

// The checks of one rule as jumps to "next rule" (offsets filled in once the block length is known)
function ruleBlock(rule: DeviceRule): Insn[] {
  const skips: Insn[] = [];
  if (rule.type !== 'a') skips.push(insn(BpfCode.JNE_K, R_TYPE, 0, 0, DEV_TYPE[rule.type]));
  if (rule.major !== null) skips.push(insn(BpfCode.JNE_K, R_MAJOR, 0, 0, rule.major));
  if (rule.minor !== null) skips.push(insn(BpfCode.JNE_K, R_MINOR, 0, 0, rule.minor));
  const mask = accessMask(rule.access);
  const block: Insn[] = [...skips];
  if (mask !== ALL_ACCESS) {
    block.push(insn(BpfCode.ALU32_MOV_X, 0, R_ACCESS, 0, 0));
    if (rule.allow) {
      block.push(insn(BpfCode.ALU32_AND_K, 0, 0, 0, ALL_ACCESS & ~mask));
      block.push(insn(BpfCode.JNE_K, 0, 0, 0, 0));
    } else {
      block.push(insn(BpfCode.ALU32_AND_K, 0, 0, 0, mask));
      block.push(insn(BpfCode.JEQ_K, 0, 0, 0, 0));
    }
  }
  block.push(insn(BpfCode.ALU32_MOV_K, 0, 0, 0, rule.allow ? 1 : 0), insn(BpfCode.EXIT, 0, 0, 0, 0));
  return block.map((i, at) => (isJump(i) ? { ...i, off: block.length - 1 - at } : i));
}

export function deviceProgram(rules: DeviceRule[]): Insn[] {
  const body: Insn[] = [];
  for (const rule of [...rules].reverse()) {
    const block = ruleBlock(rule);
    body.push(...block);
    // a rule without conditions decides everything: the verifier rejects code after it as unreachable
    if (!block.some(isJump)) return [...PROLOGUE, ...body];
  }
  return [...PROLOGUE, ...body, insn(BpfCode.ALU32_MOV_K, 0, 0, 0, 0), insn(BpfCode.EXIT, 0, 0, 0, 0)];
}

export function encodeProgram(insns: Insn[]): Buffer {
  const buf = Buffer.alloc(insns.length * 8);
  insns.forEach((i, n) => {
    buf.writeUInt8(i.code, n * 8);
    buf.writeUInt8((i.src << 4) | i.dst, n * 8 + 1);
    buf.writeInt16LE(i.off, n * 8 + 2);
    buf.writeInt32LE(i.imm, n * 8 + 4);
  });
  return buf;
}
