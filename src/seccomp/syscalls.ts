// Name -> number lookups for the architectures with tables (see arch.ts).
import { supportedArch } from './arch.js';

/** The number seccomp_data.nr carries for `name` on `arch` (x32 numbers include the x32 bit). */
export function syscallNumber(name: string, arch = 'SCMP_ARCH_X86_64'): number | undefined {
  const def = supportedArch(arch);
  const nr = def?.syscalls.get(name);
  return nr === undefined ? undefined : (nr | def!.nrBit) >>> 0;
}
