import type { Readable } from "node:stream";

/** Where attachment bytes live. Local disk by default; an S3-compatible adapter fits the same port. */
export interface StoragePort {
  /**
   * Streams `body` into storage under `key`, giving up with PAYLOAD_TOO_LARGE once more than
   * `maxBytes` arrive (nothing is left behind). Resolves with the size and SHA-256.
   */
  put(key: string, body: Readable, maxBytes: number): Promise<{ sizeBytes: number; sha256: string }>;
  get(key: string): Promise<Readable>;
  delete(key: string): Promise<void>;
}
