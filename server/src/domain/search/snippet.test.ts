import { describe, expect, it } from "vitest";
import { snippetAround } from "./snippet.ts";

describe("snippetAround", () => {
  it("returns short text whole, with whitespace collapsed", () => {
    expect(snippetAround("我的发票\n打印不出来", "发票")).toBe("我的发票 打印不出来");
  });

  it("centres a long text on the first match and marks what was cut", () => {
    const text = `${"前".repeat(200)}发票打印不出来${"后".repeat(200)}`;
    const out = snippetAround(text, "发票", 40);
    expect(out).toContain("发票打印不出来");
    expect(out.startsWith("…")).toBe(true);
    expect(out.endsWith("…")).toBe(true);
    expect([...out].length).toBe(42);
  });

  it("finds English case-insensitively and starts at the beginning when nothing matches", () => {
    const text = `${"x ".repeat(100)}Printer offline ${"y ".repeat(100)}`;
    expect(snippetAround(text, "printer", 30)).toContain("Printer offline");
    expect(snippetAround(text, "absent", 30).startsWith("x x")).toBe(true);
  });
});
