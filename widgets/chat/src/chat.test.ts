import { describe, expect, it } from "vitest";
import type { VisitorNotice, WidgetUploadLimits } from "@yixian/contracts";
import { noticeToThread, toThread } from "./client.ts";
import { acceptList, checkUpload, uploadErrorText, validateLeave, validatePreChat } from "./validation.ts";
import { fmt, pickLang, STRINGS } from "./i18n.ts";
import { contrast, readableTheme } from "./contrast.ts";
import { parseOptions } from "./options.ts";
import { initials, lastSeq, markUpTo, mergeMessages, mergeNotices, parseOutbox, pendingToThread, type ThreadMessage } from "./thread.ts";

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
    // a message the server refused for good stays refused after a reload
    const refused = { ...p, clientId: "c-2", failed: { code: "CONVERSATION_ENDED", message: "ended" } };
    expect(parseOutbox(JSON.stringify([refused, { ...p, clientId: "c-3", failed: "junk" }]))).toEqual([refused, { ...p, clientId: "c-3" }]);
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

describe("notices survive a reload", () => {
  const joined: VisitorNotice = { kind: "agent_joined", conversationId: "c1", position: null, agent: { name: "韩梅梅", initials: "韩" }, at: at(9) };
  const queued: VisitorNotice = { kind: "queued", conversationId: "c1", position: 3, agent: null, at: at(1) };
  it("places a notice from the history where the server says, and merges it with the live one (no duplicate)", () => {
    const live = noticeToThread(joined, 3);
    const history = noticeToThread({ ...joined, afterSeq: 2 }, 0);
    expect(history.seq).toBe(2.5);
    expect(history.id).toBe(live.id);
    const thread = mergeNotices(mergeMessages([stored(1, "visitor", "a"), stored(2, "agent", "b"), stored(3, "agent", "c")], [live]), [history]);
    expect(thread.filter((m) => m.from === "system")).toHaveLength(1);
    // after a reload: only the history's copy, in the same place relative to the messages
    const reloaded = mergeNotices([stored(1, "visitor", "a"), stored(2, "agent", "b"), stored(3, "agent", "c")], [history, history]);
    expect(reloaded.map((m) => m.text)).toEqual(["a", "b", "agent_joined", "c"]);
  });
  it("keeps the live queue position (the history has none), and treats a transfer's join as the same event", () => {
    const live = noticeToThread(queued, 1);
    const thread = mergeNotices([live], [noticeToThread({ ...queued, position: null, afterSeq: 1 }, 0)]);
    expect(thread).toHaveLength(1);
    expect(thread[0]!.position).toBe(3);
    const transferred = noticeToThread({ ...joined, kind: "transferred", afterSeq: 3 }, 0);
    expect(transferred.id).toBe(noticeToThread(joined, 3).id);
    // another conversation's notice at the same moment is another notice
    expect(noticeToThread({ ...joined, conversationId: "c2" }, 3).id).not.toBe(noticeToThread(joined, 3).id);
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
  const limits: WidgetUploadLimits = { maxBytes: 10 * 1024 * 1024, types: ["image/png", "application/pdf", "text/plain"], extensions: ["log", "pdf", "png", "txt"] };
  it("refuses a file before upload with the server's real limits: too big, or of a type the server refuses", () => {
    expect(checkUpload({ name: "a.png", size: 1000, type: "image/png" }, limits, zh)).toBeNull();
    expect(checkUpload({ name: "a.png", size: 11 * 1024 * 1024, type: "image/png" }, limits, zh)).toBe("文件超过 10 MB，无法发送");
    expect(checkUpload({ name: "a.png", size: 11 * 1024 * 1024, type: "image/png" }, { ...limits, maxBytes: 20 * 1024 * 1024 }, en)).toBeNull();
    expect(checkUpload({ name: "a.png", size: 5000, type: "image/png" }, { ...limits, maxBytes: 4096 }, en)).toBe("The file is larger than 4 KB and cannot be sent");
    expect(checkUpload({ name: "setup.exe", size: 10, type: "application/x-msdownload" }, limits, en)).toBe("This file type is not allowed. Allowed: .log .pdf .png .txt");
    expect(checkUpload({ name: "a.pdf", size: 10, type: "Application/PDF; x=1" }, limits, en)).toBeNull();
  });
  it("takes a file the browser gives no type by its extension, as the server does", () => {
    expect(checkUpload({ name: "server.LOG", size: 10, type: "" }, limits, en)).toBeNull();
    expect(checkUpload({ name: "data.bin", size: 10, type: "application/octet-stream" }, limits, zh)).toBe("不支持此文件类型。可发送：.log .pdf .png .txt");
    expect(checkUpload({ name: "data.bin", size: 10, type: "" }, { ...limits, types: [...limits.types, "application/octet-stream"] }, zh)).toBeNull();
    expect(acceptList(limits)).toBe("image/png,application/pdf,text/plain,.log,.pdf,.png,.txt");
  });
  it("says why the server refused an upload in the visitor's language", () => {
    expect(uploadErrorText("PAYLOAD_TOO_LARGE", limits, zh)).toBe("文件超过 10 MB，无法发送");
    expect(uploadErrorText("UNSUPPORTED_MEDIA_TYPE", limits, en)).toBe("This file type is not allowed");
    expect(uploadErrorText("RATE_LIMITED", limits, en)).toBe("Too many files at once; please try again shortly");
    expect(uploadErrorText("NETWORK", null, zh)).toBe("文件上传失败，请重试");
  });
});

describe("theme colours", () => {
  it("keeps a readable theme as configured and darkens one white text cannot be read on", () => {
    expect(readableTheme("#0b7a5a", "#ffffff")).toEqual({ primary: "#0b7a5a", onPrimary: "#ffffff", accent: "#0b7a5a" });
    const old = readableTheme("#1677ff", "#ffffff");
    expect(contrast("#1677ff", "#ffffff")).toBeLessThan(4.5);
    expect(old.primary).not.toBe("#1677ff");
    expect(contrast(old.primary, "#ffffff")).toBeGreaterThanOrEqual(4.5);
    expect(contrast(old.accent, "#ffffff")).toBeGreaterThanOrEqual(4.5);
  });
  it("lightens a background under dark text, and gives links on white their own darker shade", () => {
    const gold = readableTheme("#d4a017", "#1f2329");
    expect(contrast(gold.primary, "#1f2329")).toBeGreaterThanOrEqual(4.5);
    expect(contrast(gold.accent, "#ffffff")).toBeGreaterThanOrEqual(4.5);
    expect(readableTheme("#0958d9", "not a colour").onPrimary).toBe("#ffffff");
  });
});
