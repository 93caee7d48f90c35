// Shows pull/push progress: on a terminal one live line per layer, redrawn in place; otherwise a
// plain line each time a layer changes status (byte counts are left out).
import type { ProgressEvent } from '../../../engine/images/index.js';
import { humanSize } from './human.js';

export interface ProgressView {
  onEvent(e: ProgressEvent): void;
  done(): void;
}

function bar(current: number, total: number): string {
  const width = 40;
  const filled = total > 0 ? Math.min(width, Math.floor((current / total) * width)) : 0;
  return `[${'='.repeat(Math.max(0, filled - 1))}${filled > 0 ? '>' : ''}${' '.repeat(width - filled)}] ${humanSize(current)}/${humanSize(total)}`;
}

export function progressView(out: NodeJS.WritableStream & { isTTY?: boolean }, quiet: boolean): ProgressView {
  if (quiet) return { onEvent: () => {}, done: () => {} };
  if (!out.isTTY) {
    const last = new Map<string, string>();
    return {
      onEvent: (e) => {
        if (e.type === 'message') return void out.write(`${e.text}\n`);
        if (last.get(e.id) === e.status) return;
        last.set(e.id, e.status);
        out.write(`${e.id}: ${e.status}\n`);
      },
      done: () => {},
    };
  }
  const order: string[] = [];
  const lines = new Map<string, string>();
  let drawn = 0;
  let pending: NodeJS.Timeout | undefined;
  const redraw = (): void => {
    pending = undefined;
    let s = drawn > 0 ? `\x1b[${drawn}A` : '';
    for (const id of order) s += `\x1b[2K${id}: ${lines.get(id)}\n`;
    drawn = order.length;
    out.write(s);
  };
  return {
    onEvent: (e) => {
      if (e.type === 'message') {
        if (pending) redraw();
        out.write(`${e.text}\n`);
        drawn = 0;
        return;
      }
      if (!lines.has(e.id)) order.push(e.id);
      lines.set(e.id, e.status === 'Downloading' && e.total ? `Downloading ${bar(e.current ?? 0, e.total)}` : e.status);
      pending ??= setTimeout(redraw, 100);
    },
    done: () => {
      if (pending) clearTimeout(pending);
      redraw();
    },
  };
}
