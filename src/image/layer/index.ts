// Layer tars: unpacking into a directory, packing a directory or an overlay diff, and the tar
// reader and writer the archive code shares.
export { detectCompression, compressor, decompressor, type Compression } from './compression.js';
export { LayerError, type LayerErrorCode } from './errors.js';
export { extractLayer, type ExtractOptions, type ExtractResult } from './extract.js';
export { mapId, type LayerIdMap } from './ownership.js';
export { diffToLayer, packEntries, tarDirectory, type PackOptions, type TarWriteResult } from './pack.js';
export { readTar, type TarReadEntry } from './tar-reader.js';
export { writeTar, type TarEntry } from './tar-writer.js';
export { TarParser, type TarSink } from './tar-parser.js';
export type { TarEntryType, TarHeader, TarHeaderInput } from './tar-header.js';
export { OPAQUE_WHITEOUT, WHITEOUT_PREFIX } from './entry-path.js';
