import { spawnSync } from "node:child_process";
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { acquireDataLock } from "./data-lock.ts";

const dirs: string[] = [];
afterEach(() => {
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});

function dataDir(): string {
  const dir = mkdtempSync(join(tmpdir(), "yx-lock-"));
  dirs.push(dir);
  return dir;
}

const lockFile = (dir: string) => join(dir, "yixian.lock");

describe("the data folder lock", () => {
  it("writes this process's pid and removes the file on release", () => {
    const dir = dataDir();
    const lock = acquireDataLock(dir);
    expect(readFileSync(lockFile(dir), "utf8")).toBe(String(process.pid));
    lock.release();
    lock.release();
    expect(existsSync(lockFile(dir))).toBe(false);
  });

  it("refuses a folder held by another live process, naming the folder and the process", () => {
    const dir = dataDir();
    writeFileSync(lockFile(dir), String(process.ppid));
    expect(() => acquireDataLock(dir)).toThrow(`The data folder ${dir} is in use by process ${process.ppid}. Stop it first, or set DATA_DIR to another folder.`);
    expect(readFileSync(lockFile(dir), "utf8")).toBe(String(process.ppid));
  });

  it("takes over a lock left by a process that has exited", () => {
    const dir = dataDir();
    const dead = spawnSync(process.execPath, ["-e", ""]);
    writeFileSync(lockFile(dir), String(dead.pid));
    const lock = acquireDataLock(dir);
    expect(readFileSync(lockFile(dir), "utf8")).toBe(String(process.pid));
    lock.release();
  });

  it("takes over a lock file that holds no pid", () => {
    const dir = dataDir();
    writeFileSync(lockFile(dir), "not a pid\n");
    const lock = acquireDataLock(dir);
    expect(readFileSync(lockFile(dir), "utf8")).toBe(String(process.pid));
    lock.release();
  });
});
