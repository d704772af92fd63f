import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { RtpPeer } from "../../media/testing/rtp-peer.ts";
import { hears, isTone, IvrRig, pitchOf, receives, ssrcOf, tonesHeard } from "./testing/ivr-rig.ts";

const AGENT = 0x2222;

// Real rtpengine (scripts/test-services.sh installs it); the caller and the agent are RTP peers.
describe("the caller's line", { timeout: 30_000 }, () => {
  let rig: IvrRig;
  beforeAll(async () => {
    rig = await IvrRig.start();
  }, 60_000);
  afterAll(() => rig?.stop());

  /** The other party talks; resolves once the caller has heard all of it (nothing else plays). */
  async function otherHeardAgain(c: Awaited<ReturnType<IvrRig["call"]>>): Promise<number> {
    const from = c.caller.received.length;
    await c.other.talk(c.otherSendsTo, 10, AGENT);
    const first = await receives(c.caller, (p) => ssrcOf(p) === AGENT, from);
    await c.caller.until(first + 10);
    return first;
  }

  it("plays a prompt to the caller alone, the agent blocked while it plays and heard again after it", async () => {
    const c = await rig.call("line-play", { agent: true });
    const played = c.line.play(rig.tone(1000, 1000));
    const first = await hears(c.caller, 1000);
    await c.other.talk(c.otherSendsTo, 10, AGENT); // talking over the prompt
    expect(await played).toEqual({ key: null });
    const heard = c.caller.received.slice(first);
    expect(heard.filter((p) => ssrcOf(p) === AGENT)).toHaveLength(0);
    expect(heard.filter((p) => isTone(p, 1000)).length).toBeGreaterThanOrEqual(45); // 1 s of prompt, 20 ms packets
    expect(c.other.received).toHaveLength(0); // the prompt is the caller's only
    await otherHeardAgain(c);
  });

  it("stops a prompt at a key it is interrupted by; other keys wait for nextKey", async () => {
    const c = await rig.call("line-keys");
    const long = c.line.play(rig.tone(1000, 10_000), { interruptKeys: "5" });
    await hears(c.caller, 1000);
    const pressed = Date.now();
    await c.press("5");
    expect(await long).toEqual({ key: "5" });
    expect(Date.now() - pressed).toBeLessThan(2000);
    const first = await otherHeardAgain(c);
    expect(c.caller.received.slice(first).filter((p) => isTone(p, 1000)).length).toBeLessThanOrEqual(1); // rtpengine stopped it

    const short = c.line.play(rig.tone(1200, 800), { interruptKeys: "1" });
    await hears(c.caller, 1200);
    await c.press("9");
    expect(await short).toEqual({ key: null });
    expect(await c.line.nextKey({ timeoutMs: 5000 })).toBe("9");
    expect(await c.line.nextKey({ timeoutMs: 30 })).toBeNull();
    const waiting = c.line.nextKey({ timeoutMs: 5000 });
    await c.press("#");
    expect(await waiting).toBe("#");
  });

  it("loops music until its signal aborts, a prompt taking over from it", async () => {
    const c = await rig.call("line-loop");
    const music = new AbortController();
    const looping = c.line.loop(rig.tone(500, 200), music.signal);
    await c.caller.until(25); // more than the 10 packets of one play: it loops
    expect(tonesHeard(c.caller)).toEqual([500]);
    // a prompt started during the music ends it first
    const from = c.caller.received.length;
    const prompt = c.line.play(rig.tone(1000, 200));
    await looping;
    expect(await prompt).toEqual({ key: null });
    expect(tonesHeard(c.caller, from).at(-1)).toBe(1000); // the music's last packets may come before it
    music.abort();
    await c.line.loop(rig.tone(500, 200), music.signal); // aborted already: nothing plays
    const first = await otherHeardAgain(c);
    expect(c.caller.received.slice(first).filter((p) => pitchOf(p) !== null && ssrcOf(p) !== AGENT).length).toBeLessThanOrEqual(1);
  });

  it("ends everything when the caller hangs up: the prompt stops, keys wait no more, nothing is asked of the gone call", async () => {
    const c = await rig.call("line-gone");
    const timers = () => process.getActiveResourcesInfo().filter((r) => r === "Timeout").length;
    const played = c.line.play(rig.tone(1000, 10_000), { interruptKeys: "1" });
    const key = c.line.nextKey({ timeoutMs: 60_000 });
    await hears(c.caller, 1000);
    c.hangUp.abort();
    expect(await played).toEqual({ key: null });
    expect(await key).toBeNull();
    const first = await otherHeardAgain(c);
    expect(c.caller.received.slice(first).filter((p) => isTone(p, 1000)).length).toBeLessThanOrEqual(1);
    expect(timers()).toBe(0); // no prompt or key timer left
    await rig.media.delete("line-gone");
    expect(await c.line.play(rig.tone(1000, 100))).toEqual({ key: null });
    expect(await c.line.nextKey({ timeoutMs: 60_000 })).toBeNull();
    await c.line.loop(rig.tone(500, 200), new AbortController().signal);
  });

  it("ends a prompt normally when an agent answers while it plays (the agent's answer takes the IVR party's place)", async () => {
    const c = await rig.call("line-agent-answers");
    const played = c.line.play(rig.tone(1000, 600));
    await hears(c.caller, 1000);
    // the call controller rings an agent on a branch of the caller's media, and the agent answers
    const agent = await RtpPeer.open();
    try {
      await rig.media.offer({ callId: "line-agent-answers", fromTag: "caller", sdp: agent.sdp("3"), to: "rtp", branch: "b1" });
      await rig.media.answer({ callId: "line-agent-answers", fromTag: "caller", toTag: "agent", sdp: agent.sdp("4"), to: "rtp", branch: "b1" });
      expect(await played).toEqual({ key: null });
      expect(await c.line.play(rig.tone(1200, 200))).toEqual({ key: null });
    } finally {
      agent.close();
    }
  });
});
