// Long answers (pull and push progress, build output, followed logs in JSON, stats, events) are a
// chunked body of JSON objects, one after another, each flushed as it happens, as docker sends them.
import type { ServerResponse } from 'node:http';

export class JsonStream {
  private closed = false;

  constructor(private readonly res: ServerResponse) {
    res.writeHead(200, { 'Content-Type': 'application/json' });
    res.on('close', () => {
      this.closed = true;
    });
  }

  /** false once the client has gone: producers stop then. */
  get open(): boolean {
    return !this.closed;
  }

  write(value: unknown): boolean {
    if (this.closed) return false;
    return this.res.write(`${JSON.stringify(value)}\n`);
  }

  end(): void {
    if (!this.closed) this.res.end();
  }
}
