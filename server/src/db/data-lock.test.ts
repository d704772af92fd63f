import { spawn, spawnSync } from "node:child_process";
import { existsSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
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

  it("of contenders racing for a stale lock at the same instant, exactly one holds it", async () => {
    // Three processes spin to the same instant, once per folder: in 250 folders each with a lock
    // left by a dead process, exactly one of them must win each folder and the others be refused.
    const root = dataDir();
    const dead = spawnSync(process.execPath, ["-e", ""]);
    const folders = Array.from({ length: 250 }, (_, i) => {
      const dir = join(root, String(i));
      mkdirSync(dir);
      writeFileSync(lockFile(dir), String(dead.pid));
      return dir;
    });
    writeFileSync(join(root, "folders"), folders.join("\n"));
    const startAt = Date.now() + 3000;
    const racer = fileURLToPath(new URL("./data-lock-racer.ts", import.meta.url));
    const contenders = [0, 1, 2].map(() =>
      spawn(process.execPath, ["--import", "tsx", racer, join(root, "folders"), String(startAt), "5"], { stdio: ["pipe", "pipe", "inherit"] }),
    );
    const results = await Promise.all(
      contenders.map(
        (child) =>
          new Promise<string[]>((resolve, reject) => {
            let out = "";
            child.stdout.on("data", (d: Buffer) => {
              out += d.toString();
              if (out.includes("\n")) resolve(JSON.parse(out) as string[]);
            });
            child.once("exit", (status) => reject(new Error(`a contender exited (${status}) before reporting`)));
          }),
      ),
    );
    for (const child of contenders) child.stdin.end();
    const outcomes = folders.map((_, i) => results.map((r) => r[i]).sort().join(""));
    expect(outcomes.filter((o) => o !== "HRR")).toEqual([]);
    expect(readdirSync(folders[0]!).sort()).toEqual(["yixian.lock"]);
  }, 30_000);
});
