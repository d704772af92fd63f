import type { Message } from "@yixian/contracts";
import { afterEach, describe, expect, it, vi } from "vitest";
import { ApiError } from "./api.ts";
import { isTransient, nextDelay, ReplyOutbox, unsent, withStored, type PendingReply } from "./outbox.ts";

const msg = (seq: number, clientId: string | null = null): Message => ({ id: `m${seq}`, seq, clientId }) as unknown as Message;
const pending = (clientId: string, conversationId = "c1"): PendingReply => ({
  clientId,
  conversationId,
  text: clientId,
  direction: "outbound",
  attachments: [],
  createdAt: "2026-01-01T00:00:00Z",
  state: "sending",
  error: null,
});

describe("the reply outbox's rules", () => {
  it("shows a pending reply until the server has stored its clientId, only in its own conversation, in the order written", () => {
    const all = [pending("a"), pending("b"), pending("x", "c2"), pending("c")];
    expect(unsent(all, "c1", [msg(1, "b"), msg(2, null)]).map((p) => p.clientId)).toEqual(["a", "c"]);
    expect(unsent(all, "c2", []).map((p) => p.clientId)).toEqual(["x"]);
  });

  it("sends again after a network failure, a timeout or a 5xx, but not after a refusal", () => {
    expect(isTransient(new TypeError("Failed to fetch"))).toBe(true);
    expect(isTransient(new ApiError(503, "HTTP_ERROR", "Service Unavailable"))).toBe(true);
    expect(isTransient(new ApiError(429, "RATE_LIMITED", "slow down"))).toBe(true);
    expect(isTransient(new ApiError(409, "CONVERSATION_ENDED", "ended"))).toBe(false);
    expect(isTransient(new ApiError(400, "VALIDATION", "bad"))).toBe(false);
  });

  it("backs off from 1 s to 15 s", () => {
    const waits = [0];
    for (let i = 0; i < 6; i++) waits.push(nextDelay(waits.at(-1)!));
    expect(waits.slice(1)).toEqual([1000, 2000, 4000, 8000, 15000, 15000]);
  });

  it("puts a stored message in the cached list once, in seq order", () => {
    const list = [msg(1), msg(3)];
    expect(withStored(list, msg(2)).map((m) => m.seq)).toEqual([1, 2, 3]);
    expect(withStored(withStored(list, msg(2)), msg(2)).map((m) => m.seq)).toEqual([1, 2, 3]);
  });
});

describe("the reply outbox", () => {
  afterEach(() => {
    vi.unstubAllGlobals();
    vi.useRealTimers();
  });

  it("sends in the order written, keeps replies through an outage, and sends each again with the same clientId", async () => {
    vi.useFakeTimers();
    let up = false;
    const bodies: { text: string; clientId: string }[] = [];
    vi.stubGlobal("fetch", async (_url: string, init: { body: string }) => {
      if (!up) throw new TypeError("Failed to fetch");
      const body = JSON.parse(init.body) as { text: string; clientId: string };
      bodies.push(body);
      return new Response(JSON.stringify({ data: { ...msg(bodies.length, body.clientId), text: body.text } }), { status: 201 });
    });
    const box = new ReplyOutbox();
    box.enqueue({ conversationId: "c1", text: "one", direction: "outbound", attachments: [] });
    box.enqueue({ conversationId: "c1", text: "two", direction: "outbound", attachments: [] });
    await vi.advanceTimersByTimeAsync(5_000);
    expect(box.snapshot().map((p) => [p.text, p.state])).toEqual([
      ["one", "sending"],
      ["two", "sending"],
    ]);
    const ids = box.snapshot().map((p) => p.clientId);

    up = true;
    box.resume();
    await vi.advanceTimersByTimeAsync(0);
    expect(box.snapshot()).toEqual([]);
    expect(bodies).toEqual([
      expect.objectContaining({ text: "one", clientId: ids[0] }),
      expect.objectContaining({ text: "two", clientId: ids[1] }),
    ]);
  });

  it("marks a refused reply not sent, goes on with the next, and sends it again when asked", async () => {
    let refuse = true;
    const sent: string[] = [];
    vi.stubGlobal("fetch", async (_url: string, init: { body: string }) => {
      const body = JSON.parse(init.body) as { text: string; clientId: string };
      if (refuse && body.text === "bad") return new Response(JSON.stringify({ error: { code: "VALIDATION", message: "too long" } }), { status: 400 });
      sent.push(body.text);
      return new Response(JSON.stringify({ data: msg(sent.length, body.clientId) }), { status: 201 });
    });
    const box = new ReplyOutbox();
    const bad = box.enqueue({ conversationId: "c1", text: "bad", direction: "outbound", attachments: [] });
    box.enqueue({ conversationId: "c1", text: "good", direction: "internal", attachments: [] });
    await vi.waitFor(() => expect(sent).toEqual(["good"]));
    expect(box.snapshot()).toEqual([expect.objectContaining({ clientId: bad.clientId, state: "failed", error: "too long" })]);

    refuse = false;
    box.retry(bad.clientId);
    await vi.waitFor(() => expect(box.snapshot()).toEqual([]));
    expect(sent).toEqual(["good", "bad"]);
  });
});
