import { describe, expect, it } from "vitest";
import { dictionaries } from "./i18n.tsx";
import { offerKindLabel, offerTitle } from "./offer-kind.ts";

describe("an offer's kind", () => {
  it("says what kind of work it is — a call coming in, a chat, a voicemail, a call-back — in each language", () => {
    const zh = dictionaries["zh-CN"];
    const en = dictionaries.en;
    const call = { kind: "contact", channel: "phone" } as const;
    expect([offerKindLabel(zh, call), offerTitle(zh, call)]).toEqual(["来电", "新来电"]);
    expect([offerKindLabel(en, call), offerTitle(en, call)]).toEqual(["Incoming call", "New call"]);
    expect(offerKindLabel(zh, { kind: "contact", channel: "webchat" })).toBe("网页聊天");
    expect(offerTitle(en, { kind: "contact", channel: "email" })).toBe("New conversation");
    expect([offerKindLabel(zh, { kind: "callback", channel: "phone" }), offerTitle(zh, { kind: "callback", channel: "phone" })]).toEqual(["回拨请求", "新的回拨请求"]);
    expect([offerKindLabel(en, { kind: "voicemail", channel: "phone" }), offerTitle(en, { kind: "voicemail", channel: "phone" })]).toEqual(["Voicemail", "New voicemail"]);
  });
});
