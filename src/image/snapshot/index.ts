// Snapshots: image layers mounted as a container's root file system.
export { SnapshotError, type SnapshotErrorCode } from './errors.js';
export { mountReadOnlyImage, mountSnapshot, unmountSnapshot, type OverlayDriver, type RootlessMountOptions, type SnapshotMount, type SnapshotSys } from './mount.js';
export { overlayOptions, prepareOverlayOptions, MAX_LOWER_LAYERS, type OverlayDirs } from './overlay-options.js';
