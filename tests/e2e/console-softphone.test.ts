import { sipRegistrationsByUsername } from "@yixian/server/domain";
import type { Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { api } from "../src/harness.ts";
import { setPresence } from "../src/routing-kit.ts";
import { RtpPeer, sdpPort } from "../../telephony/src/media/testing/rtp-peer.ts";
import { getHeader, type Dialog, type SipRequest } from "../../telephony/src/sip/index.ts";
import { expectAccessible } from "./axe-kit.ts";
import {
  answerDirection,
  browserRtp,
  desk,
  inviteBrowser,
  onInvite,
  onReInvite,
  softphoneConsole,
  startMedia,
  watchRegisters,
  watchSipSockets,
  wsBinding,
  type Desk,
  type MediaStage,
} from "./softphone-kit.ts";
import { ARTIFACTS, browserForFile, type ClockedServer } from "./support.ts";

// The console's softphone in Chromium (fake microphone, WebRTC on loopback) against the server's
// own SIP stack and a real rtpengine: it registers over /sip with the session's credentials, an
// INVITE from the server rings it with the offer's screen pop, and the call is answered, carries
// RTP both ways through rtpengine, is held and resumed with re-INVITEs, sends DTMF and hangs up
// with BYE. Then it dials out, and signing out un-registers. Needs `npm run build` first.

let server: ClockedServer;
const { openConsole } = browserForFile((s) => (server = s), { media: true });
let stage: MediaStage;
beforeAll(async () => {
  stage = await startMedia();
}, 60_000);
afterAll(async () => {
  await stage?.close();
});

const CALLER = "+8613800138000";

/** The agent's console page, signed in with the softphone registered. */
function agentConsole(d: Desk, locale = "en-US", viewport?: { width: number; height: number }): Promise<Page> {
  return softphoneConsole(openConsole, server, d.agent, locale, viewport);
}

describe("the console softphone", () => {
  it("registers, rings with the offer's screen pop, answers with audio both ways, holds, sends keys and hangs up", async () => {
    const d = await desk(server, CALLER);
    const registers = watchRegisters(server.phone.stack.ua);
    const sipSockets = watchSipSockets(server);
    const page = await agentConsole(d);
    const username = `${d.tenant.slug}.1001`;
    await page.locator(".phone-bar").getByText(`Registered as ${username}`).waitFor();
    // this server runs no rtpengine of its own yet: the bar says how to enable calls
    await page.locator('[data-field="phone-hint"]').getByText("This server cannot carry calls yet (no media server): install rtpengine-daemon or set RTPENGINE_URL, then restart the server.").waitFor();

    // the binding is in the database, made with this browser session's credentials
    const first = await wsBinding(server, username);
    const session = await server.deps.db.selectFrom("sessions").select(["id", "user_id"]).where("id", "=", first.sessionId!).executeTakeFirstOrThrow();
    expect(session.user_id).toBe(d.agent.id);
    expect(first.userAgent).toMatch(/^Yixian console \(JsSIP 3\./);

    // the network drops the WebSocket: JsSIP connects again and registers again on the new connection
    expect(sipSockets.sockets).toHaveLength(1);
    sipSockets.sockets[0]!.destroy();
    await page.locator('.phone-bar[data-softphone-state="connecting"]').waitFor();
    await page.locator('.phone-bar[data-softphone-state="registered"]').waitFor();
    sipSockets.stop();
    const binding = await wsBinding(server, username);
    expect(binding.contact).toBe(first.contact);
    expect(binding.flow.connectionId).not.toBe(first.flow.connectionId);

    // a caller queued: routing offers the call to the agent (the screen pop's offer)
    await setPresence(server, d.agent, "available");
    const conversation = await api(server, d.tenant.admin).post("/api/conversations").send({ channel: "phone", identity: { kind: "phone", value: CALLER }, queueId: d.queueId });
    expect(conversation.status, JSON.stringify(conversation.body)).toBe(201);
    const conversationId = conversation.body.data.id as string;
    const toast = page.locator(".toast.offer[data-offer-id]");
    await toast.waitFor();
    const offerId = (await toast.getAttribute("data-offer-id"))!;

    // the server's INVITE (SDP from rtpengine's webrtc profile for an RTP peer) rings the console
    const peer = await RtpPeer.open();
    const callId = `softphone-${offerId}`;
    const toBrowser = await stage.media.offer({ callId, fromTag: "caller", sdp: peer.sdp("1"), to: "webrtc" });
    const { call } = await inviteBrowser(server, binding, {
      callId,
      sdp: toBrowser,
      from: CALLER,
      headers: [
        { name: "X-Yixian-Offer", value: offerId },
        { name: "X-Yixian-Conversation", value: conversationId },
      ],
    });
    const ringing = page.locator(`[data-ringing-call][data-offer-id="${offerId}"]`);
    await ringing.waitFor();
    // one card: the offer's toast became the ringing panel, with its contact and company
    await expect(page.locator(".toast").count()).resolves.toBe(1);
    await ringing.locator('[data-field="contact"]').getByText("王建国").waitFor();
    await ringing.locator('[data-field="company"]').getByText(d.companyName).waitFor();
    await ringing.locator('[data-field="caller-number"]').getByText(CALLER).waitFor();
    // it says what kind of work rings: a call coming in (the offer's kind), not a chat or a call-back
    await expect(ringing.getAttribute("data-kind")).resolves.toBe("contact");
    await expect(ringing.locator('[data-field="offer-kind"]').textContent()).resolves.toBe("Incoming call");
    await expect(ringing.getAttribute("aria-label")).resolves.toBe("New call");
    await expect(ringing.getAttribute("data-ringer")).resolves.toBe("on");
    await expectAccessible(page, "the console with a ringing call");
    await page.screenshot({ path: `${ARTIFACTS}console-softphone-ringing.png` });

    // answered: 200 with the browser's SDP; the conversation opens with the customer panel
    await ringing.locator('[data-action="answer-call"]').click();
    const { response, dialog } = await call.result;
    expect(response.status).toBe(200);
    const browserTag = dialog!.id.remoteTag;
    const ended = new Promise<{ by: string; request: SipRequest | undefined }>((resolve) => (dialog!.onTerminated = (by, request) => resolve({ by, request })));
    const toPeer = await stage.media.answer({ callId, fromTag: "caller", toTag: browserTag, sdp: response.body.toString(), to: "rtp" });
    await page.waitForURL(`**/conversations/${conversationId}`);
    await page.locator(".side-panel").getByText(d.companyName).first().waitFor();
    const panel = page.locator('[data-panel="call"][data-call-status="active"]');
    await panel.waitFor();
    await panel.locator('[data-field="call-timer"]').getByText(/^0:0\d$/).waitFor();

    // RTP both ways through rtpengine: the peer hears the browser, the browser hears the peer
    const talking = peer.talk(sdpPort(toPeer), 100, 0x1111);
    await peer.until(50);
    expect(peer.ssrcs().size).toBeGreaterThanOrEqual(1);
    await page.waitForFunction(
      async () => {
        const pcs = (window as unknown as { __peerConnections: RTCPeerConnection[] }).__peerConnections;
        let received = 0;
        (await pcs[pcs.length - 1]!.getStats()).forEach((s: { type: string; packetsReceived?: number }) => {
          if (s.type === "inbound-rtp") received += s.packetsReceived ?? 0;
        });
        return received >= 50;
      },
      undefined,
      { polling: 100 },
    );
    await talking;
    const rtp = await browserRtp(page);
    expect(rtp.received).toBeGreaterThanOrEqual(50);
    expect(rtp.sent).toBeGreaterThanOrEqual(50);
    // rtpengine took every packet the peer sent (the peer hears rtpengine only: the browser's packets came through it)
    expect((await stage.media.packetsReceived(callId)).caller).toBeGreaterThanOrEqual(100);

    // hold: a re-INVITE with a=sendonly (the test answers through rtpengine, as the call controller will)
    const reInvites: string[] = [];
    const stopReInvites = onReInvite(server.phone.stack.ua, (_dialog: Dialog, invite) => {
      const offer = invite.request.body.toString();
      reInvites.push(offer);
      void (async () => {
        const forPeer = await stage.media.offer({ callId, fromTag: browserTag, sdp: offer, to: "rtp" });
        const answer = await stage.media.answer({ callId, fromTag: browserTag, toTag: "caller", sdp: answerDirection(forPeer, peer.sdp("1")), to: "webrtc" });
        await invite.accept({ body: Buffer.from(answer), contentType: "application/sdp" });
      })();
    });
    await panel.locator('[data-action="hold"]').click();
    await page.locator('[data-panel="call"][data-held="true"]').getByText("On hold").waitFor();
    // JsSIP shows the hold at once and sends the re-INVITE once its new offer is made
    await expect.poll(() => reInvites.length).toBe(1);
    expect(reInvites[0]).toMatch(/a=(sendonly|inactive)/);
    await expect(panel.locator('[data-action="hold"]').getAttribute("aria-pressed")).resolves.toBe("true");
    await panel.locator('[data-action="hold"]').click();
    await page.locator('[data-panel="call"][data-held="false"]').getByText("On the call").waitFor();
    await expect.poll(() => reInvites.length).toBe(2);
    expect(reInvites[1]).toMatch(/a=sendrecv/);
    stopReInvites();

    // mute stops the microphone's track, with no signalling
    await panel.locator('[data-action="mute"]').click();
    await page.locator('[data-panel="call"][data-muted="true"]').waitFor();
    await panel.locator('[data-action="mute"]').click();
    await page.locator('[data-panel="call"][data-muted="false"]').waitFor();

    // DTMF from the keypad: RFC 2833 in the media, reported by rtpengine and passed on to the peer
    const eventsBefore = peer.received.filter((m) => (m[1]! & 0x7f) === 101).length;
    await panel.locator('[data-action="keypad"]').click();
    await panel.locator('[data-key="4"]').click();
    const four = await stage.nextDigit(callId);
    expect([four.digit, four.sourceTag]).toEqual(["4", browserTag]);
    await panel.locator('[data-key="#"]').click();
    expect((await stage.nextDigit(callId)).digit).toBe("#");
    await panel.locator('[data-field="keys-sent"]').getByText("4#").waitFor();
    expect(peer.received.filter((m) => (m[1]! & 0x7f) === 101).length).toBeGreaterThan(eventsBefore);
    await expectAccessible(page, "the console during a call with the keypad open");
    await page.screenshot({ path: `${ARTIFACTS}console-softphone-call.png` });

    // hang up: BYE to the server; the bar tells how the last call ended
    await panel.locator('[data-action="hang-up"]').click();
    const bye = await ended;
    expect(bye.by).toBe("remote");
    expect(bye.request?.method).toBe("BYE");
    await page.locator('[data-field="last-call"][data-cause="hung-up"]').getByText(CALLER).waitFor();
    await expect(page.locator('[data-panel="call"]').count()).resolves.toBe(0);
    await stage.media.delete(callId);
    peer.close();

    // signing out un-registers first (REGISTER with expires 0), then no binding is left
    const before = registers.seen.length;
    await page.locator('[data-action="sign-out"]').click();
    await page.locator('input[name="email"]').waitFor();
    const unregisters = registers.seen.slice(before).filter((r) => /expires=0\b/.test(getHeader(r, "Contact") ?? "") || getHeader(r, "Expires") === "0");
    expect(unregisters.length).toBeGreaterThanOrEqual(1);
    registers.stop();
    expect(await sipRegistrationsByUsername(server.deps, username)).toEqual([]);
  });

  it("dials out from the dialpad in Chinese on a phone-width screen: INVITE sip:<number>@<realm>, and the far end's hang-up is shown", async () => {
    const d = await desk(server, CALLER);
    const page = await agentConsole(d, "zh-CN", { width: 390, height: 844 });
    const bar = page.locator(".phone-bar");
    await bar.getByText("电话就绪").waitFor();
    await bar.locator('[data-field="phone-hint"]').getByText(/本服务器还不能通话/).waitFor();

    await bar.locator('[data-action="toggle-dialpad"]').click();
    const pad = page.locator('[data-panel="dialpad"]');
    await pad.getByLabel("要拨打的号码").fill("abc");
    await pad.locator('[data-action="dial"]').click();
    await pad.locator('[data-field="dial-error"]').getByText("请输入电话号码：数字，开头可以带 +。").waitFor();
    await expect(pad.getByLabel("要拨打的号码").getAttribute("aria-invalid")).resolves.toBe("true");
    await expectAccessible(page, "the dialpad with an error (zh-CN, 390 px)");
    const { scrollWidth, innerWidth } = await page.evaluate(() => ({ scrollWidth: document.scrollingElement!.scrollWidth, innerWidth: window.innerWidth }));
    expect(scrollWidth).toBeLessThanOrEqual(innerWidth);
    await page.screenshot({ path: `${ARTIFACTS}console-softphone-dialpad-390.png` });

    // the server side of the outbound call (the call controller's, next): answered through rtpengine by an RTP peer
    const peer = await RtpPeer.open();
    const invites: SipRequest[] = [];
    const outbound: { answered?: Promise<Dialog> } = {};
    const stopInvites = onInvite(server.phone.stack.ua, (invite) => {
      invites.push(invite.request);
      const callId = invite.request.callId;
      const fromTag = invite.request.from.params.get("tag")!;
      outbound.answered = (async () => {
        const forPeer = await stage.media.offer({ callId, fromTag, sdp: invite.request.body.toString(), to: "rtp" });
        const answer = await stage.media.answer({ callId, fromTag, toTag: "callee", sdp: answerDirection(forPeer, peer.sdp("2")), to: "webrtc" });
        invite.progress(180);
        const { dialog } = await invite.accept({ body: Buffer.from(answer), contentType: "application/sdp" });
        return dialog;
      })();
    });
    await pad.getByLabel("要拨打的号码").fill("");
    for (const key of "13900139000") await pad.locator(`[data-key="${key}"]`).click();
    await pad.locator('[data-action="dial"]').click();
    const panel = page.locator('[data-panel="call"][data-call-status="active"]');
    await panel.waitFor();
    await panel.getByText("通话中").waitFor();
    expect(invites).toHaveLength(1);
    expect(invites[0]!.uri).toMatchObject({ kind: "sip", user: "13900139000", host: server.deps.config.sipRealm });
    stopInvites();
    await expectAccessible(page, "a call in progress (zh-CN, 390 px)");

    // the far end hangs up: BYE from the server
    const dialog = await outbound.answered!;
    await server.phone.stack.ua.bye(dialog);
    await page.locator('[data-field="last-call"][data-cause="remote-hung-up"]').getByText("对方已挂断").waitFor();
    await stage.media.delete(dialog.id.callId);
    peer.close();

    // from a ticket: "呼叫" beside the customer's number dials it for that ticket (X-Yixian-Ticket); the far end is busy
    const ticket = await api(server, d.tenant.admin).post("/api/tickets").send({ subject: "发票打印不出来", contactId: d.contactId, sourceChannel: "phone" });
    expect(ticket.status, JSON.stringify(ticket.body)).toBe(201);
    const ticketId = ticket.body.data.id as string;
    const busy: SipRequest[] = [];
    const stopBusy = onInvite(server.phone.stack.ua, (invite) => {
      busy.push(invite.request);
      invite.reject(486);
    });
    await page.goto(`${server.url}/tickets/${ticketId}`);
    await page.locator('.phone-bar[data-softphone-state="registered"]').waitFor();
    // the reload registered this tab's contact again: its binding was replaced, none is left behind
    expect(await sipRegistrationsByUsername(server.deps, `${d.tenant.slug}.1001`)).toHaveLength(1);
    await page.getByRole("button", { name: `用电话呼叫 ${CALLER}` }).click();
    await page.locator('[data-field="last-call"][data-cause="busy"]').getByText("对方忙").waitFor();
    stopBusy();
    expect(busy).toHaveLength(1);
    expect(busy[0]!.uri).toMatchObject({ user: CALLER, host: server.deps.config.sipRealm });
    expect(getHeader(busy[0]!, "X-Yixian-Ticket")).toBe(ticketId);

    // the dialpad, with the ticket open, logs the call on it unless the agent unticks it
    const ticketNumber = ticket.body.data.number as string;
    const dialled: SipRequest[] = [];
    const stopDialled = onInvite(server.phone.stack.ua, (invite) => {
      dialled.push(invite.request);
      invite.reject(486);
    });
    const dialFromPad = async (number: string, keepOnTicket: boolean) => {
      await bar.locator('[data-action="toggle-dialpad"]').click();
      const onTicket = pad.locator('[data-field="dial-ticket"]').getByLabel(`记录到工单 ${ticketNumber}`);
      await expect(onTicket.isChecked()).resolves.toBe(true);
      if (!keepOnTicket) await onTicket.uncheck();
      await pad.getByLabel("要拨打的号码").fill(number);
      await pad.locator('[data-action="dial"]').click();
      await page.locator('[data-field="last-call"][data-cause="busy"]').getByText(number).waitFor();
    };
    await dialFromPad("13900139001", true);
    await dialFromPad("13900139002", false);
    stopDialled();
    expect(dialled.map((r) => [r.uri.kind === "sip" ? r.uri.user : null, getHeader(r, "X-Yixian-Ticket") ?? null])).toEqual([
      ["13900139001", ticketId],
      ["13900139002", null],
    ]);
  });
});
