// Blocking sleep for the few synchronous waits (a cgroup freezing, a process exiting, a lock held
// by another vessel process). The buffer is made on first use: module initialisation must not
// allocate shared memory (a start-up snapshot cannot hold it).
let sleeper: Int32Array | undefined;

export function sleepSync(ms: number): void {
  sleeper ??= new Int32Array(new SharedArrayBuffer(4));
  Atomics.wait(sleeper, 0, 0, ms);
}
