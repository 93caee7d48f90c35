// The whole native binding (build/Release/vessel.node) as one documented interface. native.ts is
// the one file that loads it; each concern has its own typed slice (NativeSys for processes, mounts
// and files, NetlinkSys, NetnsSys, InRootSys, BpfSys, PipeSys), documented where it is declared.
// Code above sys/ takes the slice it needs as a parameter defaulting to the real binding, so its
// logic can run in a unit test against a fake (test/fixtures/fake-sys.ts), whose fidelity to the
// real binding is checked by one suite run against both (test/integration/sys-binding.test.ts).
import type { BpfSys } from './bpf.js';
import type { InRootSys } from './inroot.js';
import type { NativeSys } from './native.js';
import type { NetlinkSys } from './netlink.js';
import type { NetnsSys } from './netns.js';
import type { PipeSys } from './pipe.js';

export type VesselBinding = NativeSys & NetlinkSys & NetnsSys & InRootSys & BpfSys & PipeSys;

/** The extended attributes part of the binding: what overlay whiteouts and opaque dirs are made of. */
export type XattrSys = Pick<NativeSys, 'lgetxattr' | 'lsetxattr' | 'llistxattr'>;
