import { createHash } from "node:crypto";
import { createReadStream, createWriteStream } from "node:fs";
import { mkdir, rename, rm, stat } from "node:fs/promises";
import { dirname, join, resolve, sep } from "node:path";
import { Transform, type Readable } from "node:stream";
import { pipeline } from "node:stream/promises";
import { randomToken } from "../platform/ids.ts";
import type { ByteRange, StoragePort } from "../domain/attachments/storage-port.ts";
import { DomainError } from "../domain/errors.ts";

/** Attachments as files under one root folder; writes go to a temp name and are renamed when complete. */
export class LocalDiskStorage implements StoragePort {
  private readonly root: string;
  constructor(root: string) {
    this.root = resolve(root);
  }

  private pathOf(key: string): string {
    const path = resolve(join(this.root, key));
    if (!path.startsWith(this.root + sep)) throw new DomainError("VALIDATION_FAILED", "invalid storage key");
    return path;
  }

  async put(key: string, body: Readable, maxBytes: number): Promise<{ sizeBytes: number; sha256: string }> {
    const path = this.pathOf(key);
    await mkdir(dirname(path), { recursive: true });
    const temp = `${path}.${randomToken(6)}.part`;
    const hash = createHash("sha256");
    let size = 0;
    const meter = new Transform({
      transform(chunk: Buffer, _enc, done) {
        size += chunk.length;
        if (size > maxBytes) {
          done(new DomainError("PAYLOAD_TOO_LARGE", `file is larger than ${maxBytes} bytes`));
          return;
        }
        hash.update(chunk);
        done(null, chunk);
      },
    });
    const out = createWriteStream(temp, { flags: "wx" });
    try {
      await pipeline(body, meter, out);
      await rename(temp, path);
    } catch (err) {
      // The file is opened asynchronously: wait until the stream has closed it (it may open
      // after the failure) so that removing it leaves nothing behind.
      if (!out.closed) await new Promise<void>((resolve) => out.once("close", () => resolve()));
      await rm(temp, { force: true });
      body.resume();
      throw err;
    }
    return { sizeBytes: size, sha256: hash.digest("hex") };
  }

  async get(key: string, range?: ByteRange): Promise<Readable> {
    const path = this.pathOf(key);
    await stat(path);
    return createReadStream(path, range ? { start: range.start, end: range.end } : {});
  }

  async delete(key: string): Promise<void> {
    await rm(this.pathOf(key), { force: true });
  }
}
