// Image metadata: content blobs, unpacked layers (shared by chain id), images, their names and
// registry digests. Reference counting is done with joins over image_layers, so no counters can drift.
import type { Migration } from '../db.js';

export const images: Migration = {
  version: 1,
  name: 'images',
  up: `
    CREATE TABLE blobs (
      digest TEXT PRIMARY KEY,
      size INTEGER NOT NULL,
      media_type TEXT NOT NULL,
      created_at INTEGER NOT NULL
    );
    -- where a blob is known to exist in a registry, so a push can mount it instead of uploading
    CREATE TABLE blob_sources (
      digest TEXT NOT NULL,
      registry TEXT NOT NULL,
      repository TEXT NOT NULL,
      PRIMARY KEY (digest, registry, repository)
    );
    CREATE TABLE layers (
      chain_id TEXT PRIMARY KEY,
      diff_id TEXT NOT NULL,
      parent TEXT,
      size INTEGER NOT NULL,
      created_at INTEGER NOT NULL
    );
    CREATE TABLE images (
      id TEXT PRIMARY KEY,
      manifest_digest TEXT NOT NULL,
      manifest_media_type TEXT NOT NULL,
      manifest BLOB NOT NULL,
      config BLOB NOT NULL,
      size INTEGER NOT NULL,
      created_at INTEGER NOT NULL
    );
    CREATE TABLE image_layers (
      image_id TEXT NOT NULL REFERENCES images(id) ON DELETE CASCADE,
      position INTEGER NOT NULL,
      chain_id TEXT NOT NULL REFERENCES layers(chain_id),
      blob_digest TEXT NOT NULL,
      blob_size INTEGER NOT NULL,
      media_type TEXT NOT NULL,
      PRIMARY KEY (image_id, position)
    );
    CREATE INDEX image_layers_chain ON image_layers(chain_id);
    CREATE TABLE image_names (
      name TEXT PRIMARY KEY,
      image_id TEXT NOT NULL REFERENCES images(id) ON DELETE CASCADE,
      created_at INTEGER NOT NULL
    );
    CREATE INDEX image_names_image ON image_names(image_id);
    -- repository digests (docker's RepoDigests): the manifest or index digest a repository served
    CREATE TABLE image_digests (
      repository TEXT NOT NULL,
      digest TEXT NOT NULL,
      image_id TEXT NOT NULL REFERENCES images(id) ON DELETE CASCADE,
      PRIMARY KEY (repository, digest)
    );
    CREATE INDEX image_digests_image ON image_digests(image_id);
  `,
};
