// Progress events the long-running services report; the CLI decides how to show them.
export type LayerStatus =
  | 'Already exists'
  | 'Waiting'
  | 'Downloading'
  | 'Download complete'
  | 'Extracting'
  | 'Pull complete'
  | 'Preparing'
  | 'Pushing'
  | 'Layer already exists'
  | 'Mounted'
  | 'Pushed';

export type ProgressEvent =
  | { type: 'layer'; id: string; status: LayerStatus; current?: number; total?: number }
  | { type: 'message'; text: string };

export type ProgressSink = (e: ProgressEvent) => void;

/** The short id docker shows for a layer: 12 hex digits of its blob digest. */
export function shortId(digest: string): string {
  return digest.slice(digest.indexOf(':') + 1, digest.indexOf(':') + 13);
}
