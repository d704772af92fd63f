import { ERROR_CODES } from "@yixian/contracts";
import { describe, expect, it } from "vitest";
import { ApiError } from "./api.ts";
import { errorText } from "./error-text.ts";

describe("errorText", () => {
  it("shows the agent a text in their language, never the server's English message", () => {
    const err = new ApiError(409, "AGENT_AT_CAPACITY", "agent is at capacity for chat (5/5)");
    expect(errorText(err, "zh-CN")).toBe("已达到该渠道的接待上限。");
    expect(errorText(err, "en")).toBe("You are at your limit for this channel.");
  });

  it("has a Chinese text without English words for every code the server can answer", () => {
    for (const code of ERROR_CODES) {
      const zh = errorText(new ApiError(400, code, "server text"), "zh-CN");
      expect(zh, code).not.toBe("server text");
      // only the product's own abbreviations may stay Latin
      expect(zh.replace(/CSV|Excel/g, ""), code).not.toMatch(/[A-Za-z]{2,}/);
    }
  });

  it("says the server cannot be reached when fetch fails, and falls back for unknown errors", () => {
    expect(errorText(new TypeError("Failed to fetch"), "en")).toMatch(/reach the server/);
    expect(errorText(new Error("boom"), "zh-CN")).toBe("服务器出错了，请稍后重试。");
    expect(errorText({ code: "SOMETHING_NEW", message: "x" }, "en")).toBe("The server ran into an error; try again later.");
  });
});
