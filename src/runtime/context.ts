// What every verb receives: where state lives, and where warnings go.
import { StateStore } from './state-store.js';

export interface RuntimeContext {
  store: StateStore;
  /** Non-fatal problems (ignored capabilities, failed poststart hooks); the CLI prints or logs them. */
  warn(message: string): void;
}

export function runtimeContext(root?: string, warn: (m: string) => void = () => {}): RuntimeContext {
  return { store: new StateStore(root), warn };
}
