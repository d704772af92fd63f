import { describe, expect, it } from "vitest";
import { dictionaries } from "./i18n.tsx";
import { conversationTitle, phoneLabel } from "./labels.ts";

const untitled = { subject: "", firstMessage: null };

describe("a conversation's title", () => {
  it("names a phone call by its direction and number, in each language", () => {
    const zh = dictionaries["zh-CN"];
    const en = dictionaries.en;
    expect(conversationTitle({ ...untitled, call: { direction: "inbound", number: "+8613800138000" } }, zh)).toBe("来电 138 0013 8000");
    expect(conversationTitle({ ...untitled, call: { direction: "outbound", number: "+862161234567" } }, en)).toBe("Call to +862161234567");
    expect(conversationTitle({ ...untitled, call: { direction: "inbound", number: null } }, en)).toBe("Call from a withheld number");
    expect(conversationTitle({ ...untitled, call: null }, zh)).toBe("（无主题）");
  });

  it("prefers the subject, then the customer's first words, over the call", () => {
    const call = { direction: "inbound", number: "+8613800138000" } as const;
    expect(conversationTitle({ subject: "发票", firstMessage: null, call }, dictionaries.en)).toBe("发票");
    expect(conversationTitle({ subject: "", firstMessage: "  开不了\n票 ", call }, dictionaries.en)).toBe("“开不了 票”");
  });

  it("groups a mainland mobile number and leaves others as they are", () => {
    expect(phoneLabel("13912345678")).toBe("139 1234 5678");
    expect(phoneLabel("+8613912345678")).toBe("139 1234 5678");
    expect(phoneLabel("+14155550100")).toBe("+14155550100");
  });
});
