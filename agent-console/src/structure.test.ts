import { readdirSync, readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";

const dir = fileURLToPath(new URL(".", import.meta.url));
// every source file, those in folders (phone/) too
const sources = readdirSync(dir, { recursive: true, encoding: "utf8" })
  .filter((f) => /\.tsx?$/.test(f) && !f.endsWith(".test.ts"))
  .map((f) => ({ file: f, text: readFileSync(`${dir}${f}`, "utf8") }));

describe("the console's REST calls and query keys", () => {
  it("calls the REST API only through client.ts (no URL or fetch in a component)", () => {
    const offenders = sources
      .filter(({ file }) => file !== "client.ts" && file !== "api.ts")
      .filter(({ text }) => /\brequest\s*[<(]|\bfetch\s*\(|["'`]\/api\//.test(text))
      .map(({ file }) => file);
    expect(offenders).toEqual([]);
  });

  it("names query keys only in keys.ts (no literal key arrays elsewhere)", () => {
    const offenders = sources
      .filter(({ file }) => file !== "keys.ts")
      .filter(({ text }) => /queryKey:\s*\[|invalidate\(\s*\[/.test(text))
      .map(({ file }) => file);
    expect(offenders).toEqual([]);
  });
});
