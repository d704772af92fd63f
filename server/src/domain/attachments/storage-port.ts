import type { Readable } from "node:stream";
import type { Row } from "../../db/schema.ts";

/** Bytes `start` to `end` of a stored file, both included (an HTTP Range, already checked against the size). */
export interface ByteRange {
  start: number;
  end: number;
}

/** Where attachment bytes live. Local disk by default; an S3-compatible adapter fits the same port. */
export interface StoragePort {
  /**
   * Streams `body` into storage under `key`, giving up with PAYLOAD_TOO_LARGE once more than
   * `maxBytes` arrive (nothing is left behind). Resolves with the size and SHA-256.
   */
  put(key: string, body: Readable, maxBytes: number): Promise<{ sizeBytes: number; sha256: string }>;
  /** The file's bytes, or only `range` of them. */
  get(key: string, range?: ByteRange): Promise<Readable>;
  delete(key: string): Promise<void>;
}

/** A stored file someone may read (an attachment, a tenant's phone prompt) and its bytes on demand. */
export interface Downloadable {
  attachment: Pick<Row<"attachments">, "filename" | "content_type" | "size_bytes" | "sha256">;
  read(range?: ByteRange): Promise<Readable>;
}
