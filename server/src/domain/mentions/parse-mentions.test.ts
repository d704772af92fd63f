import { describe, expect, it } from "vitest";
import { excerptOf, parseMentions } from "./parse-mentions.ts";

const people = [
  { id: "li", name: "李雷" },
  { id: "han", name: "韩梅梅" },
  { id: "anna", name: "Anna" },
  { id: "anna-lee", name: "Anna Lee" },
];

describe("parseMentions", () => {
  it("finds a Chinese name that runs straight into the sentence", () => {
    expect(parseMentions("@李雷请看一下这张发票", people)).toEqual(["li"]);
  });

  it("finds several people once each, in order of first mention", () => {
    expect(parseMentions("@韩梅梅 和 @李雷：@韩梅梅 先看", people)).toEqual(["han", "li"]);
  });

  it("prefers the longest name and ignores case", () => {
    expect(parseMentions("ping @anna lee about it", people)).toEqual(["anna-lee"]);
    expect(parseMentions("ping @ANNA, thanks", people)).toEqual(["anna"]);
  });

  it("needs a Latin name to end at a word boundary", () => {
    expect(parseMentions("@Annabel knows", people)).toEqual([]);
  });

  it("does not take an e-mail address for a mention", () => {
    expect(parseMentions("mail anna@anna.example please", people)).toEqual([]);
  });

  it("finds nobody without a known name", () => {
    expect(parseMentions("@nobody @ 你好", people)).toEqual([]);
  });
});

describe("excerptOf", () => {
  it("flattens whitespace and cuts long notes with an ellipsis", () => {
    expect(excerptOf("a\n\n b")).toBe("a b");
    expect(excerptOf("发票".repeat(100), 5)).toBe("发票发票…");
  });
});
