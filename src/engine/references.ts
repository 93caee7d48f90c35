// Image references as docker's CLI prints them (`busybox:latest`, not `docker.io/library/...`),
// for front ends that show what the engine returns.
export { familiarReference, familiarRepository, formatReference, parseReference, repositoryName, type ImageReference } from '../image/reference.js';
export { familiar } from '../image/summary.js';
