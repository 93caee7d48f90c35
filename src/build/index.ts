// The image builder's public surface: the CLI and the Engine API's POST /build call these.
export { build, type BuildOptions, type BuildResult } from './executor.js';
export { BuildContext } from './context.js';
export { BuildEngine } from './engine-adapter.js';
export { BuildError } from './errors.js';
export { plainProgress, type ProgressSink } from './progress.js';
export { pruneBuilder } from './prune.js';
