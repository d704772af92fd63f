// A contender for the data-lock race test: at each shared instant it tries to lock one folder,
// keeps every lock it wins until its stdin closes, and prints one letter per folder (H held,
// R refused as in use, anything else the error).
import { readFileSync } from "node:fs";
import { acquireDataLock } from "./data-lock.ts";

const [dirsFile = "", startAt = "0", slotMs = "5"] = process.argv.slice(2);
const dirs = readFileSync(dirsFile, "utf8").split("\n").filter(Boolean);
process.setMaxListeners(0);
const results: string[] = [];
for (const [i, dir] of dirs.entries()) {
  const at = Number(startAt) + i * Number(slotMs);
  while (Date.now() < at) {
    // spin: a timer would wake the contenders milliseconds apart
  }
  try {
    acquireDataLock(dir);
    results.push("H");
  } catch (err) {
    const message = (err as Error).message;
    results.push(message.includes("is in use by process") ? "R" : message);
  }
}
process.stdout.write(JSON.stringify(results) + "\n");
process.stdin.resume();
process.stdin.on("end", () => process.exit(0));
