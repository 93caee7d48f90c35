// pipe(2) for handing pipe ends to a container and its supervisor through a plan (native/src/pipe.c).
import { sys } from './native.js';

export interface PipeSys {
  /** pipe2(2) -> [readFd, writeFd]; flags default to O_CLOEXEC. */
  pipe2(flags?: number): [number, number];
  /** Sets or clears FD_CLOEXEC: whether `fd` is closed when the process execs. */
  setCloexec(fd: number, on: boolean): void;
}

export const PipeFlag = { CLOEXEC: 0o2000000, NONBLOCK: 0o4000, DIRECT: 0o40000 } as const;

export function pipeSys(): PipeSys {
  return sys() as unknown as PipeSys;
}

/** A close-on-exec pipe: [readFd, writeFd]. */
export function pipe(): [number, number] {
  return pipeSys().pipe2(PipeFlag.CLOEXEC);
}
