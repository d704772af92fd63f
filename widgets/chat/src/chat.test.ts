import { describe, expect, it } from "vitest";
import { noticeToThread, toThread } from "./client.ts";
import { checkUpload, validateLeave, validatePreChat } from "./validation.ts";
import { fmt, pickLang, STRINGS } from "./i18n.ts";
import { parseOptions } from "./options.ts";
import { initials, lastSeq, markUpTo, mergeMessages, parseOutbox, pendingToThread, type ThreadMessage } from "./thread.ts";

const zh = STRINGS["zh-CN"];
const en = STRINGS.en;
const at = (s: number) => `2026-11-20T10:00:${String(s).padStart(2, "0")}.000Z`;

function stored(seq: number, from: "visitor" | "agent", text: string, clientId: string | null = null): ThreadMessage {
  return toThread({ id: `m${seq}`, conversationId: "c1", seq, from, agent: from === "agent" ? { name: "李雷", initials: "李" } : null, text, attachments: [], clientId, createdAt: at(seq) });
}

describe("script tag options", () => {
  it("reads key, language, position, colour and open-on-load; the API lives where the script came from", () => {
    const o = parseOptions({ key: "wk_abc", lang: "en", position: "left", colour: "#ff0000", open: "true" }, "https://chat.example.cn/widget.js", "https://shop.example.com/p/1");
    expect(o).toEqual({ key: "wk_abc", origin: "https://chat.example.cn", lang: "en", position: "left", colour: "#ff0000", openOnLoad: true, fullPage: false });
  });
  it("ignores a colour that is not #rgb/#rrggbb (no CSS injection) and defaults the rest", () => {
    const o = parseOptions({ key: "wk_abc", colour: "red;}body{display:none" }, "/widget.js", "https://shop.example.com/");
    expect(o).toMatchObject({ origin: "https://shop.example.com", colour: null, position: "right", openOnLoad: false, lang: null });
    expect(parseOptions({ key: "k", mode: "page", open: "false" }, "", "https://h/chat/k")).toMatchObject({ fullPage: true, openOnLoad: false });
  });
});

describe("language", () => {
  it("takes data-lang, then the browser, then the widget's default", () => {
    expect(pickLang("en", ["zh-CN"])).toBe("en");
    expect(pickLang(null, ["zh-TW", "en"])).toBe("zh-CN");
    expect(pickLang(null, ["fr-FR", "en-GB"])).toBe("en");
    expect(pickLang(null, ["fr-FR"], "en")).toBe("en");
    expect(fmt(en.queued, { n: 2 })).toBe("Connecting you to an agent; 2 ahead of you");
  });
});

describe("the thread: never a message twice, always in seq order", () => {
  it("replaces the sending copy with the acknowledged one, matched by client id", () => {
    const pending = pendingToThread({ clientId: "c-1", text: "你好", attachments: [], createdAt: at(5) });
    let thread = mergeMessages([stored(1, "agent", "欢迎")], [pending]);
    expect(thread.map((m) => m.status)).toEqual(["read", "sending"]);
    thread = mergeMessages(thread, [stored(2, "visitor", "你好", "c-1")]);
    // the broadcast of the same message and a resync bring it again
    thread = mergeMessages(thread, [stored(2, "visitor", "你好", "c-1"), stored(2, "visitor", "你好", "c-1")]);
    expect(thread.map((m) => [m.seq, m.text, m.status])).toEqual([
      [1, "欢迎", "read"],
      [2, "你好", "delivered"],
    ]);
  });
  it("sorts a resync that arrives out of order, keeps unsent messages last, and never lowers a status", () => {
    const read = { ...stored(2, "visitor", "b", "c-b"), status: "read" as const };
    const pending = pendingToThread({ clientId: "c-z", text: "z", attachments: [], createdAt: at(1) });
    const thread = mergeMessages([pending, read], [stored(3, "agent", "c"), stored(1, "agent", "a"), stored(2, "visitor", "b", "c-b")]);
    expect(thread.map((m) => m.text)).toEqual(["a", "b", "c", "z"]);
    expect(thread[1]!.status).toBe("read");
    expect(lastSeq(thread)).toBe(3);
  });
  it("marks the visitor's messages read up to the agents' read seq", () => {
    const thread = markUpTo([stored(1, "visitor", "a"), stored(2, "agent", "b"), stored(3, "visitor", "c")], 2, "read");
    expect(thread.map((m) => m.status)).toEqual(["read", "read", "delivered"]);
  });
  it("puts a notice after the messages seen so far, and does not count it as a seq", () => {
    const n = noticeToThread({ kind: "agent_joined", conversationId: "c1", position: null, agent: { name: "韩梅梅", initials: "韩" }, at: at(9) }, 2);
    const thread = mergeMessages([stored(1, "visitor", "a"), stored(2, "agent", "b")], [n, n, stored(3, "agent", "c")]);
    expect(thread.map((m) => m.text)).toEqual(["a", "b", "agent_joined", "c"]);
    expect(lastSeq(thread.slice(0, 3))).toBe(2);
  });
  it("restores the outbox from storage and drops what it cannot read", () => {
    const p = { clientId: "c-1", text: "hi", attachments: [], createdAt: at(1) };
    expect(parseOutbox(JSON.stringify([p, { clientId: 5 }, null]))).toEqual([p]);
    expect(parseOutbox("{not json")).toEqual([]);
    expect(parseOutbox(null)).toEqual([]);
  });
  it("makes avatar initials from Chinese and Latin names", () => {
    expect(initials("李雷")).toBe("李");
    expect(initials("Ada Lovelace")).toBe("AL");
    expect(initials("ada")).toBe("AD");
    expect(initials(null)).toBe("?");
  });
});

describe("forms", () => {
  const form = { name: "required", phone: "optional", company: "off", verificationCode: "optional" } as const;
  it("says what is missing or wrong in the visitor's language, and sends only the fields in use", () => {
    expect(validatePreChat(form, { phone: "12", company: "ACME" }, zh).errors).toEqual({ name: "请填写姓名", phone: "请输入有效的手机号" });
    expect(validatePreChat(form, {}, en).errors).toEqual({ name: "Please enter your Name" });
    expect(validatePreChat(form, { name: " 王芳 ", phone: "+86 138 0013 8000", company: "ACME", verificationCode: "" }, zh)).toEqual({
      errors: {},
      body: { name: "王芳", phone: "+86 138 0013 8000" },
    });
  });
  it("needs a name, a phone or e-mail and a text to leave a message", () => {
    expect(validateLeave({ contact: "not-an-email@", text: "" }, en).errors).toEqual({
      name: "Please enter your Name",
      contact: "Please enter a valid phone number or e-mail",
      text: "Please enter your Message",
    });
    expect(validateLeave({ name: "Li", contact: "li@example.com", text: "call me" }, en).body).toEqual({ name: "Li", email: "li@example.com", text: "call me" });
    expect(validateLeave({ name: "李", contact: "13800138000", text: "回电" }, zh).body).toEqual({ name: "李", phone: "13800138000", text: "回电" });
  });
  it("refuses a file before upload when it is too big or of a type the server refuses", () => {
    expect(checkUpload({ size: 1000, type: "image/png" }, zh)).toBeNull();
    expect(checkUpload({ size: 11 * 1024 * 1024, type: "image/png" }, zh)).toBe("文件过大：最大 10 MB");
    expect(checkUpload({ size: 10, type: "application/x-msdownload" }, en)).toBe("This file type is not allowed");
  });
});
