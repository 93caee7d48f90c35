// `state`: the OCI state of one container.
import type { State } from '../../oci/spec.js';
import type { RuntimeContext } from '../context.js';
import { containerStatus, ociState } from '../status.js';

export function state(ctx: RuntimeContext, id: string): State {
  const record = ctx.store.read(id);
  return ociState(record, containerStatus(ctx.store, record));
}
