// A push parser for tar streams: feed it chunks, it calls the sink synchronously with each entry's
// header, its content as sub-slices of the chunks (no copies), and the entry's end. Being
// synchronous keeps extraction free of a promise per entry; tar-reader.ts builds the async,
// pull-style reader on top of it.
import { LayerError } from './errors.js';
import {
  BLOCK,
  MetaFlag,
  buildHeader,
  decodeRawHeader,
  isZeroBlock,
  padTo,
  parsePax,
  type PaxRecords,
  type RawHeader,
  type TarHeader,
} from './tar-header.js';

export interface TarSink {
  entry(header: TarHeader): void;
  data(chunk: Buffer): void;
  entryEnd(): void;
}

/** PAX and GNU long-name blocks are buffered whole; larger ones are refused as hostile. */
const META_LIMIT = 16 * 1024 * 1024;

type State = 'header' | 'data' | 'meta' | 'padding' | 'done';

export class TarParser {
  private state: State = 'header';
  private readonly block = Buffer.alloc(BLOCK);
  private blockFill = 0;
  private remaining = 0;
  private padding = 0;
  private meta: Buffer[] = [];
  private metaHeader: RawHeader | undefined;
  private globalPax: PaxRecords = new Map();
  private localPax: PaxRecords = new Map();
  private longName: string | undefined;
  private longLink: string | undefined;
  private current = '';

  constructor(private readonly sink: TarSink) {}

  /** True once the end-of-archive block was seen; later bytes are ignored. */
  get ended(): boolean {
    return this.state === 'done';
  }

  push(chunk: Buffer): void {
    let pos = 0;
    while (pos < chunk.length && this.state !== 'done') {
      if (this.state === 'header') pos = this.readHeader(chunk, pos);
      else if (this.state === 'data') pos = this.readData(chunk, pos);
      else if (this.state === 'meta') pos = this.readMeta(chunk, pos);
      else pos = this.skipPadding(chunk, pos);
    }
  }

  /** Call at the end of input: a stream may stop at an entry boundary without end blocks. */
  finish(): void {
    if (this.state === 'done' || (this.state === 'header' && this.blockFill === 0 && !this.metaHeader)) return;
    throw new LayerError('LAYER_BAD_TAR', `tar stream ends inside entry ${JSON.stringify(this.current)}`, this.current);
  }

  private readHeader(chunk: Buffer, pos: number): number {
    const n = Math.min(BLOCK - this.blockFill, chunk.length - pos);
    chunk.copy(this.block, this.blockFill, pos, pos + n);
    this.blockFill += n;
    if (this.blockFill < BLOCK) return pos + n;
    this.blockFill = 0;
    if (isZeroBlock(this.block)) {
      this.state = 'done';
      return pos + n;
    }
    const raw = decodeRawHeader(this.block);
    this.current = raw.name;
    if (isMetaFlag(raw.flag)) {
      if (raw.size > META_LIMIT) throw new LayerError('LAYER_BAD_TAR', `tar meta entry of ${raw.size} bytes is too large`, raw.name);
      this.metaHeader = raw;
      this.meta = [];
      this.remaining = raw.size;
      this.padding = padTo(raw.size);
      this.state = raw.size > 0 ? 'meta' : 'header';
      if (raw.size === 0) this.applyMeta();
      return pos + n;
    }
    const pax = this.globalPax.size ? new Map([...this.globalPax, ...this.localPax]) : this.localPax;
    const header = buildHeader(raw, pax, this.longName, this.longLink);
    this.localPax = new Map();
    this.longName = undefined;
    this.longLink = undefined;
    this.current = header.name;
    this.sink.entry(header);
    this.remaining = header.size;
    this.padding = padTo(header.size);
    if (this.remaining > 0) this.state = 'data';
    else this.endEntry();
    return pos + n;
  }

  private readData(chunk: Buffer, pos: number): number {
    const n = Math.min(this.remaining, chunk.length - pos);
    this.sink.data(pos === 0 && n === chunk.length ? chunk : chunk.subarray(pos, pos + n));
    this.remaining -= n;
    if (this.remaining === 0) this.endEntry();
    return pos + n;
  }

  private endEntry(): void {
    this.state = this.padding > 0 ? 'padding' : 'header';
    this.sink.entryEnd();
  }

  private readMeta(chunk: Buffer, pos: number): number {
    const n = Math.min(this.remaining, chunk.length - pos);
    this.meta.push(Buffer.from(chunk.subarray(pos, pos + n)));
    this.remaining -= n;
    if (this.remaining === 0) {
      this.state = this.padding > 0 ? 'padding' : 'header';
      this.applyMeta();
    }
    return pos + n;
  }

  private applyMeta(): void {
    const raw = this.metaHeader!;
    this.metaHeader = undefined;
    const data = Buffer.concat(this.meta);
    this.meta = [];
    if (raw.flag === MetaFlag.PAX) this.localPax = parsePax(data, raw.name);
    else if (raw.flag === MetaFlag.PAX_GLOBAL) this.globalPax = new Map([...this.globalPax, ...parsePax(data, raw.name)]);
    else if (raw.flag === MetaFlag.GNU_LONG_NAME) this.longName = nulTerminated(data);
    else this.longLink = nulTerminated(data);
  }

  private skipPadding(chunk: Buffer, pos: number): number {
    const n = Math.min(this.padding, chunk.length - pos);
    this.padding -= n;
    if (this.padding === 0) this.state = this.metaHeader ? 'meta' : 'header';
    return pos + n;
  }
}

const metaFlags: ReadonlySet<string> = new Set(Object.values(MetaFlag));
function isMetaFlag(flag: string): boolean {
  return metaFlags.has(flag);
}

function nulTerminated(data: Buffer): string {
  const end = data.indexOf(0);
  return data.toString('utf8', 0, end === -1 ? data.length : end);
}
