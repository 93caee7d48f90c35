// The tracer of this process's command. A front end (vessel --trace, vessel-runtime --trace)
// installs one before it calls the library; every layer reads it here, at the seams where it
// already touches the kernel (the plan driver, cgroup files, netlink, iptables, mounts, layers),
// so no signature between the CLI and those seams carries it. One process traces one command: a
// server tracing single requests would keep the tracer per request instead (AsyncLocalStorage),
// behind these same two functions.
import { NO_TRACE, type Tracer } from './tracer.js';

let active: Tracer = NO_TRACE;

export function activeTracer(): Tracer {
  return active;
}

export function setActiveTracer(tracer: Tracer): void {
  active = tracer;
}
