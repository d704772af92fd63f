import { randomBytes } from "node:crypto";
import { linkSync, mkdirSync, readdirSync, readFileSync, renameSync, rmdirSync, rmSync, unlinkSync, writeFileSync } from "node:fs";
import { join } from "node:path";

export interface DataLock {
  release(): void;
}

type Holder = { pid: number } | "stale" | "absent";

const GUARD_WAIT_MS = 5;
const GUARD_TRIES = 2000;

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === "EPERM";
  }
}

function code(err: unknown): string | undefined {
  return (err as NodeJS.ErrnoException).code;
}

function pause(ms: number): void {
  Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, ms);
}

function inUse(dataDir: string, pid: number): Error {
  return new Error(`The data folder ${dataDir} is in use by process ${pid}. Stop it first, or set DATA_DIR to another folder.`);
}

/** A name next to the lock that no other process uses. */
function privateName(dataDir: string, kind: string): string {
  return join(dataDir, `yixian.lock.${kind}.${process.pid}.${randomBytes(4).toString("hex")}`);
}

function holderOf(path: string): Holder {
  let text: string;
  try {
    text = readFileSync(path, "utf8");
  } catch (err) {
    if (code(err) === "ENOENT") return "absent";
    throw err;
  }
  const pid = Number(text.trim());
  return Number.isInteger(pid) && pid > 0 && pid !== process.pid && isAlive(pid) ? { pid } : "stale";
}

/** Creates `path` holding this pid, complete from its first instant (a hard link of a written file); false if it exists. */
function createWithPid(path: string, dataDir: string): boolean {
  const tmp = privateName(dataDir, "new");
  writeFileSync(tmp, String(process.pid));
  try {
    linkSync(tmp, path);
    return true;
  } catch (err) {
    if (code(err) === "EEXIST") return false;
    throw err;
  } finally {
    rmSync(tmp, { force: true });
  }
}

/**
 * The guard that only one process at a time may hold while it replaces a stale lock: the folder
 * `yixian.lock.takeover` holding one entry named by its holder's pid. It is put in place by
 * renaming a prepared folder, which succeeds only while the name is free or an empty folder; a
 * guard left by a dead process is emptied (its entry, by name) so that one rename can replace it.
 */
function takeGuard(dataDir: string): (() => void) | null {
  const guard = join(dataDir, "yixian.lock.takeover");
  const mine = privateName(dataDir, "guard");
  mkdirSync(mine);
  writeFileSync(join(mine, String(process.pid)), "");
  try {
    renameSync(mine, guard);
    return () => {
      rmSync(join(guard, String(process.pid)), { force: true });
      try {
        rmdirSync(guard);
      } catch (err) {
        // another process has already renamed its guard over the emptied one
        if (code(err) !== "ENOENT" && code(err) !== "ENOTEMPTY" && code(err) !== "EEXIST") throw err;
      }
    };
  } catch (err) {
    rmSync(mine, { recursive: true, force: true });
    if (code(err) !== "ENOTEMPTY" && code(err) !== "EEXIST") throw err;
  }
  let entries: string[] = [];
  try {
    entries = readdirSync(guard);
  } catch (err) {
    if (code(err) !== "ENOENT") throw err;
  }
  for (const entry of entries) {
    const pid = Number(entry);
    if (!Number.isInteger(pid) || pid <= 0 || pid === process.pid || !isAlive(pid)) rmSync(join(guard, entry), { force: true });
  }
  return null;
}

/**
 * PGlite does not lock its folder and a second process would silently corrupt it, so the
 * server holds `<dataDir>/yixian.lock` (its pid) for as long as it runs. The file is created
 * exclusively; a lock left by a process that died is replaced only under a guard that one
 * process at a time holds, so of two starts racing for a stale lock exactly one runs.
 */
export function acquireDataLock(dataDir: string): DataLock {
  const path = join(dataDir, "yixian.lock");
  for (let attempt = 0; attempt < GUARD_TRIES; attempt++) {
    if (createWithPid(path, dataDir)) return holding(path);
    const holder = holderOf(path);
    if (holder === "absent") continue;
    if (holder !== "stale") throw inUse(dataDir, holder.pid);
    const releaseGuard = takeGuard(dataDir);
    if (!releaseGuard) {
      pause(GUARD_WAIT_MS);
      continue;
    }
    try {
      // only a guard holder removes a lock, so a lock still stale now stays the same file until removed
      if (holderOf(path) === "stale") unlinkSync(path);
    } catch (err) {
      if (code(err) !== "ENOENT") throw err;
    } finally {
      releaseGuard();
    }
  }
  throw new Error(`Could not lock the data folder ${dataDir}`);
}

function holding(path: string): DataLock {
  let released = false;
  const release = () => {
    if (released) return;
    released = true;
    rmSync(path, { force: true });
    process.off("exit", release);
  };
  process.on("exit", release);
  return { release };
}
