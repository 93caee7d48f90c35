// Builds a BPF program from its end towards its start. Every jump target is then already placed,
// so jump offsets are known when the jump is written; a target more than 255 instructions away
// is reached through a trampoline (`ja`, or a copy of the `ret` it leads to) placed right after
// the jump. Conditional jumps never fall through, so nothing else can run into a trampoline.
import { BPF, MAX_JUMP, type Instruction } from './bpf.js';

/** An instruction's position counted from the end of the program (0 = last instruction). */
export type Label = number;
/** Where a jump goes: a placed instruction, or "return this value" (placed on demand). */
export type Target = Label | { ret: number };

export class BackwardEmitter {
  private readonly reversed: Instruction[] = [];
  /** The nearest (most recently placed) `ret` for each return value. */
  private readonly nearestRet = new Map<number, Label>();
  /** The nearest `ja` trampoline to each label. */
  private readonly nearestAlias = new Map<Label, Label>();

  get length(): number {
    return this.reversed.length;
  }

  /** The instruction that whatever is emitted next falls through to. */
  private get head(): Label {
    return this.reversed.length - 1;
  }

  ret(value: number): Label {
    const label = this.push({ code: BPF.RET_K, jt: 0, jf: 0, k: value >>> 0 });
    this.nearestRet.set(value >>> 0, label);
    return label;
  }

  /** `A = seccomp_data[offset]`, then go on at `next`. */
  load(offset: number, next: Target): Label {
    this.fallInto(next);
    return this.push({ code: BPF.LD_W_ABS, jt: 0, jf: 0, k: offset });
  }

  /** `A &= mask`, then go on at `next`. */
  and(mask: number, next: Target): Label {
    this.fallInto(next);
    return this.push({ code: BPF.ALU_AND_K, jt: 0, jf: 0, k: mask >>> 0 });
  }

  /** A conditional jump (JEQ/JGT/JGE/JSET against k). */
  jump(code: number, k: number, whenTrue: Target, whenFalse: Target): Label {
    for (;;) {
      const t = this.place(whenTrue);
      const f = this.place(whenFalse);
      // Placing the second trampoline may have pushed the first target out of reach: retry.
      if (this.reachable(t) && this.reachable(f)) {
        const here = this.reversed.length;
        return this.push({ code, jt: here - t - 1, jf: here - f - 1, k: k >>> 0 });
      }
    }
  }

  /** The program in execution order. */
  finish(): Instruction[] {
    return [...this.reversed].reverse();
  }

  private push(ins: Instruction): Label {
    this.reversed.push(ins);
    return this.head;
  }

  private reachable(label: Label): boolean {
    return this.reversed.length - label - 1 <= MAX_JUMP;
  }

  /** A label for `target` within a conditional jump's reach of the next instruction. */
  private place(target: Target): Label {
    if (typeof target !== 'number') {
      const near = this.nearestRet.get(target.ret >>> 0);
      return near !== undefined && this.reachable(near) ? near : this.ret(target.ret);
    }
    if (this.reachable(target)) return target;
    const alias = this.nearestAlias.get(target);
    if (alias !== undefined && this.reachable(alias)) return alias;
    const here = this.reversed.length;
    const label = this.push({ code: BPF.JA, jt: 0, jf: 0, k: here - target - 1 });
    this.nearestAlias.set(target, label);
    return label;
  }

  /** Makes `next` the instruction that the next one emitted falls through to. */
  private fallInto(next: Target): void {
    if (typeof next === 'number') {
      if (next === this.head) return;
      this.push({ code: BPF.JA, jt: 0, jf: 0, k: this.reversed.length - next - 1 });
    } else {
      this.ret(next.ret);
    }
  }
}
