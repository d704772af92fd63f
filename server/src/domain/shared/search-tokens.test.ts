import { describe, expect, it } from "vitest";
import { searchQuery, searchTokens } from "./search-tokens.ts";

const tokensOf = (...texts: string[]) => new Set(searchTokens(...texts).split(" "));

describe("searchTokens", () => {
  it("keeps every character and every adjacent pair of a Chinese sentence", () => {
    const tokens = tokensOf("我的发票打印不出来");
    for (const t of ["发", "票", "发票", "打印", "印不", "不出", "出来"]) expect(tokens).toContain(t);
  });

  it("adds the words the segmenter finds, longer than two characters too", () => {
    const tokens = tokensOf("中华人民共和国");
    expect(tokens).toContain("共和国");
  });

  it("lower-cases Latin words and keeps the parts of addresses and numbers", () => {
    const tokens = tokensOf("Printer ERROR at Zhang.Wei@Example.com, call 400-820-1234");
    for (const t of ["printer", "error", "zhang.wei@example.com", "zhang", "wei", "example", "400-820-1234", "400", "820", "1234"]) {
      expect(tokens).toContain(t);
    }
    expect(tokens).not.toContain("Printer");
  });

  it("handles mixed scripts and full-width characters", () => {
    const tokens = tokensOf("ＵＳＢ打印机");
    expect(tokens).toContain("usb");
    expect(tokens).toContain("打印");
  });

  it("is empty for nothing, and joins several texts", () => {
    expect(searchTokens(null, undefined, "")).toBe("");
    const tokens = tokensOf("发票", "invoice");
    expect(tokens).toContain("发票");
    expect(tokens).toContain("invoice");
  });
});

describe("searchQuery", () => {
  it("turns a Chinese word into its bigrams, all required", () => {
    expect(searchQuery("发票")).toBe("'发票'");
    expect(searchQuery("打印不出")).toBe("'打印' & '印不' & '不出'");
  });

  it("matches a single Chinese character by itself", () => {
    expect(searchQuery("票")).toBe("'票'");
  });

  it("makes Latin words prefix matches, lower-cased", () => {
    expect(searchQuery("Print inv")).toBe("'print':* & 'inv':*");
  });

  it("drops tsquery operators so user input cannot break the query", () => {
    expect(searchQuery("a&b | !c (d) 'e':*")).toBe("'a':* & 'b':* & 'c':* & 'd':* & 'e':*");
    expect(searchQuery("&|!()")).toBeNull();
    expect(searchQuery("   ")).toBeNull();
  });

  it("every query term of a text is among that text's tokens", () => {
    const text = "客户反馈：金蝶K3 发票打印不出来，error code 0x80";
    const tokens = tokensOf(text);
    for (const q of ["发票", "打印不出", "金蝶", "error", "K3"]) {
      const terms = (searchQuery(q) ?? "").split(" & ").map((t) => t.replace(/^'|'(:\*)?$/g, ""));
      for (const term of terms) expect([...tokens].some((t) => t === term || t.startsWith(term))).toBe(true);
    }
  });
});
