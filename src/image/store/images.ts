// Image metadata in the state database: images, their layers (by chain id), names and repository
// digests, and the reference-counting queries that decide which layers and blobs are garbage.
import type { StateDb } from '../../state/db.js';
import { ImageError } from '../errors.js';
import { formatReference, parseReference, repositoryName } from '../reference.js';

export interface ImageLayerRecord {
  chainId: string;
  diffId: string;
  blobDigest: string;
  blobSize: number;
  mediaType: string;
  /** unpacked size */
  size: number;
}

export interface ImageRecord {
  /** config digest, docker's image ID */
  id: string;
  manifestDigest: string;
  manifestMediaType: string;
  manifest: Buffer;
  config: Buffer;
  /** sum of unpacked layer sizes */
  size: number;
  createdAt: number;
  /** fully qualified, e.g. docker.io/library/busybox:latest */
  names: string[];
  /** repository@digest */
  repoDigests: string[];
  layers: ImageLayerRecord[];
}

export interface NewImage {
  id: string;
  manifestDigest: string;
  manifestMediaType: string;
  manifest: Buffer;
  config: Buffer;
  layers: ImageLayerRecord[];
  blobs: { digest: string; size: number; mediaType: string }[];
}

interface ImageRow {
  id: string;
  manifest_digest: string;
  manifest_media_type: string;
  manifest: Buffer;
  config: Buffer;
  size: number;
  created_at: number;
}

const HEX_PREFIX = /^(?:sha256:)?([0-9a-f]{3,64})$/;

export class ImageStore {
  constructor(readonly db: StateDb) {}

  /** Records an image whose blobs and layers are already in place, and points `names` at it. */
  commit(image: NewImage, names: readonly string[], repoDigest?: string): ImageRecord {
    const now = Date.now();
    const sql = this.db.sql;
    this.db.transaction(() => {
      const blob = sql.prepare('INSERT OR IGNORE INTO blobs (digest, size, media_type, created_at) VALUES (?, ?, ?, ?)');
      for (const b of image.blobs) blob.run(b.digest, b.size, b.mediaType, now);
      const layer = sql.prepare(
        'INSERT OR IGNORE INTO layers (chain_id, diff_id, parent, size, created_at) VALUES (?, ?, ?, ?, ?)',
      );
      image.layers.forEach((l, i) => layer.run(l.chainId, l.diffId, i === 0 ? null : image.layers[i - 1]!.chainId, l.size, now));
      // The ID is the config digest, so the same image can arrive with another manifest (a
      // registry's, or one synthesized for a docker-archive): the latest arrival's is kept, so a
      // push sends what was last pulled or loaded. Blobs it no longer uses go at the next GC.
      const size = image.layers.reduce((n, l) => n + l.size, 0);
      sql
        .prepare(
          `INSERT INTO images (id, manifest_digest, manifest_media_type, manifest, config, size, created_at) VALUES (?, ?, ?, ?, ?, ?, ?)
           ON CONFLICT(id) DO UPDATE SET manifest_digest = excluded.manifest_digest, manifest_media_type = excluded.manifest_media_type, manifest = excluded.manifest`,
        )
        .run(image.id, image.manifestDigest, image.manifestMediaType, image.manifest, image.config, size, now);
      sql.prepare('DELETE FROM image_layers WHERE image_id = ?').run(image.id);
      const il = sql.prepare(
        'INSERT INTO image_layers (image_id, position, chain_id, blob_digest, blob_size, media_type) VALUES (?, ?, ?, ?, ?, ?)',
      );
      image.layers.forEach((l, i) => il.run(image.id, i, l.chainId, l.blobDigest, l.blobSize, l.mediaType));
      for (const n of names) this.setName(n, image.id, now);
      if (repoDigest) {
        const at = repoDigest.lastIndexOf('@');
        sql
          .prepare('INSERT OR REPLACE INTO image_digests (repository, digest, image_id) VALUES (?, ?, ?)')
          .run(repoDigest.slice(0, at), repoDigest.slice(at + 1), image.id);
      }
    });
    return this.get(image.id);
  }

  private setName(name: string, id: string, now: number): void {
    this.db.sql
      .prepare(
        'INSERT INTO image_names (name, image_id, created_at) VALUES (?, ?, ?) ON CONFLICT(name) DO UPDATE SET image_id = excluded.image_id, created_at = excluded.created_at',
      )
      .run(name, id, now);
  }

  tag(id: string, name: string): void {
    this.db.transaction(() => this.setName(name, id, Date.now()));
  }

  /** Removes a name; returns whether it existed. */
  untag(name: string): boolean {
    return this.db.transaction(() => this.db.sql.prepare('DELETE FROM image_names WHERE name = ?').run(name).changes > 0);
  }

  get(id: string): ImageRecord {
    const row = this.db.sql.prepare('SELECT * FROM images WHERE id = ?').get(id) as ImageRow | undefined;
    if (!row) throw new ImageError('IMAGE_NOT_FOUND', `no such image: ${id}`, id);
    return this.hydrate(row);
  }

  list(): ImageRecord[] {
    const rows = this.db.sql.prepare('SELECT * FROM images ORDER BY created_at DESC').all() as ImageRow[];
    return rows.map((r) => this.hydrate(r));
  }

  private hydrate(row: ImageRow): ImageRecord {
    const sql = this.db.sql;
    const names = (sql.prepare('SELECT name FROM image_names WHERE image_id = ? ORDER BY created_at, name').all(row.id) as { name: string }[]).map(
      (r) => r.name,
    );
    const repoDigests = (
      sql.prepare('SELECT repository, digest FROM image_digests WHERE image_id = ? ORDER BY repository').all(row.id) as {
        repository: string;
        digest: string;
      }[]
    ).map((r) => `${r.repository}@${r.digest}`);
    const layers = (
      sql
        .prepare(
          `SELECT il.chain_id, l.diff_id, il.blob_digest, il.blob_size, il.media_type, l.size
           FROM image_layers il JOIN layers l ON l.chain_id = il.chain_id WHERE il.image_id = ? ORDER BY il.position`,
        )
        .all(row.id) as { chain_id: string; diff_id: string; blob_digest: string; blob_size: number; media_type: string; size: number }[]
    ).map((l) => ({
      chainId: l.chain_id,
      diffId: l.diff_id,
      blobDigest: l.blob_digest,
      blobSize: l.blob_size,
      mediaType: l.media_type,
      size: l.size,
    }));
    return {
      id: row.id,
      manifestDigest: row.manifest_digest,
      manifestMediaType: row.manifest_media_type,
      manifest: row.manifest,
      config: row.config,
      size: row.size,
      createdAt: row.created_at,
      names,
      repoDigests,
      layers,
    };
  }

  /** Finds the image a user means: a name, name@digest, or a (prefix of an) image ID. */
  resolve(input: string): ImageRecord {
    const id = this.findId(input);
    if (!id) throw new ImageError('IMAGE_NOT_FOUND', `No such image: ${input}`, input);
    return this.get(id);
  }

  findId(input: string): string | undefined {
    const sql = this.db.sql;
    let ref;
    try {
      ref = parseReference(input);
    } catch {
      ref = undefined;
    }
    if (ref?.digest) {
      const repo = repositoryName(ref);
      const row = (sql.prepare('SELECT image_id FROM image_digests WHERE repository = ? AND digest = ?').get(repo, ref.digest) ??
        sql
          .prepare(
            `SELECT i.id AS image_id FROM images i WHERE i.manifest_digest = ?
             AND EXISTS (SELECT 1 FROM image_names n WHERE n.image_id = i.id AND n.name LIKE ? || ':%')`,
          )
          .get(ref.digest, repo)) as { image_id: string } | undefined;
      if (row) return row.image_id;
    } else if (ref) {
      const row = sql.prepare('SELECT image_id FROM image_names WHERE name = ?').get(formatReference(ref)) as
        | { image_id: string }
        | undefined;
      if (row) return row.image_id;
    }
    const hex = HEX_PREFIX.exec(input)?.[1];
    if (!hex) return undefined;
    const rows = sql.prepare("SELECT id FROM images WHERE id LIKE 'sha256:' || ? || '%'").all(hex) as { id: string }[];
    if (rows.length > 1) throw new ImageError('IMAGE_AMBIGUOUS', `image ID prefix ${input} is ambiguous`, input);
    return rows[0]?.id;
  }

  /** Deletes the image row (names, digests and layer links cascade). */
  deleteImage(id: string): void {
    this.db.transaction(() => this.db.sql.prepare('DELETE FROM images WHERE id = ?').run(id));
  }

  /** Layers no image uses any more (every image links all of its chain ids, parents included). */
  unreferencedLayers(): string[] {
    return (
      this.db.sql
        .prepare(
          `SELECT chain_id FROM layers l WHERE NOT EXISTS (SELECT 1 FROM image_layers il WHERE il.chain_id = l.chain_id)`,
        )
        .all() as { chain_id: string }[]
    ).map((r) => r.chain_id);
  }

  unreferencedBlobs(): string[] {
    return (
      this.db.sql
        .prepare(
          `SELECT digest FROM blobs b WHERE
             NOT EXISTS (SELECT 1 FROM images i WHERE i.id = b.digest OR i.manifest_digest = b.digest)
             AND NOT EXISTS (SELECT 1 FROM image_layers il WHERE il.blob_digest = b.digest)
             AND NOT EXISTS (SELECT 1 FROM image_digests d WHERE d.digest = b.digest)`,
        )
        .all() as { digest: string }[]
    ).map((r) => r.digest);
  }

  forgetLayer(chainId: string): void {
    this.db.sql.prepare('DELETE FROM layers WHERE chain_id = ?').run(chainId);
  }

  forgetBlob(digest: string): void {
    this.db.sql.prepare('DELETE FROM blobs WHERE digest = ?').run(digest);
    this.db.sql.prepare('DELETE FROM blob_sources WHERE digest = ?').run(digest);
  }

  recordBlobSource(digest: string, registry: string, repository: string): void {
    this.db.sql.prepare('INSERT OR IGNORE INTO blob_sources (digest, registry, repository) VALUES (?, ?, ?)').run(digest, registry, repository);
  }

  blobSources(digest: string, registry: string): string[] {
    return (
      this.db.sql.prepare('SELECT repository FROM blob_sources WHERE digest = ? AND registry = ?').all(digest, registry) as {
        repository: string;
      }[]
    ).map((r) => r.repository);
  }

  /** Images no name points at (docker's dangling `<none>` images). */
  danglingIds(): string[] {
    return (
      this.db.sql
        .prepare('SELECT id FROM images i WHERE NOT EXISTS (SELECT 1 FROM image_names n WHERE n.image_id = i.id)')
        .all() as { id: string }[]
    ).map((r) => r.id);
  }
}
