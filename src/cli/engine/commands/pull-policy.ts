// `--pull always|missing|never` for `create` and `run`: whether to pull the image before creating
// the container. Progress goes to stderr, as docker's does, so stdout keeps only the container's.
import { VesselError } from '../../../vessel-error.js';
import { noSuchImage } from '../../../engine/images/index.js';
import { familiarReference, parseReference, type ImageReference } from '../../../engine/references.js';
import type { Vessel } from '../../../engine/vessel.js';

export const PULL_POLICIES = ['always', 'missing', 'never'] as const;
export type PullPolicy = (typeof PULL_POLICIES)[number];

export class PullPolicyError extends VesselError {
  override readonly name = 'PullPolicyError';
  readonly code = 'INVALID_PULL_POLICY';
  constructor(override readonly object: string) {
    super(`invalid pull option: '${object}': must be one of "always", "missing" or "never"`, { status: 'invalidParameter', object });
  }
}

export function parsePullPolicy(value: string): PullPolicy {
  const policy = PULL_POLICIES.find((p) => p === value);
  if (!policy) throw new PullPolicyError(value);
  return policy;
}

/** A reference that could be pulled, or undefined for an image ID (or a prefix of one). */
function pullableReference(image: string): ImageReference | undefined {
  if (/^(sha256:)?[0-9a-f]{12,64}$/.test(image)) return undefined;
  try {
    return parseReference(image);
  } catch {
    return undefined;
  }
}

async function pullWithProgress(vessel: Vessel, image: string, ref: ImageReference, err: NodeJS.WritableStream): Promise<void> {
  err.write(`${ref.digest ?? ref.tag}: Pulling from ${ref.repository}\n`);
  // the registry client (http, https, zlib, streams) loads only when a pull happens
  const { progressView } = await import('../output/progress.js');
  const view = progressView(err, false);
  let downloaded = false;
  const record = await vessel.images.pull(image, {
    onProgress: (e) => {
      if (e.type === 'layer' && e.status === 'Pull complete') downloaded = true;
      view.onEvent(e);
    },
  });
  view.done();
  const digest = record.RepoDigests.find((d) => d.startsWith(`${ref.registry}/${ref.repository}@`))?.split('@')[1];
  if (digest) err.write(`Digest: ${digest}\n`);
  err.write(`Status: ${downloaded ? 'Downloaded newer image for' : 'Image is up to date for'} ${familiarReference(ref)}\n`);
}

/** Pulls `image` as the policy says; `never` and an absent image fail with docker's message.
 * `io.err` is read only when there is something to say (making stderr costs start-up time). */
export async function applyPullPolicy(vessel: Vessel, image: string, policy: PullPolicy, io: { err: NodeJS.WritableStream }): Promise<void> {
  const present = vessel.images.exists(image);
  const ref = pullableReference(image);
  if (policy === 'never' || !ref) {
    if (!present) throw noSuchImage(ref ? familiarReference(ref) : image);
    return;
  }
  if (present && policy === 'missing') return;
  if (!present) io.err.write(`Unable to find image '${familiarReference(ref)}' locally\n`);
  await pullWithProgress(vessel, image, ref, io.err);
}
