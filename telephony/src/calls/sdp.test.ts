import { describe, expect, it } from "vitest";
import { audioPort, holds, ivrAnswer, reanswer } from "./sdp.ts";

const offer = ["v=0", "o=- 1545997027 7 IN IP4 127.0.0.1", "s=-", "c=IN IP4 127.0.0.1", "t=0 0", "m=audio 30000 UDP/TLS/RTP/SAVPF 8 101", "a=setup:actpass", "a=sendrecv", ""].join("\r\n");

describe("SDP edits of the call layer", () => {
  it("answers for the IVR with nowhere to send the caller's media", () => {
    const answer = ivrAnswer(offer);
    expect(answer).toContain("c=IN IP4 127.0.0.1");
    expect(audioPort(answer)).toBe(9);
    expect(holds(answer)).toBe(false);
  });

  it("tells hold from resume", () => {
    expect(holds(offer.replace("a=sendrecv", "a=sendonly"))).toBe(true);
    expect(holds(offer.replace("a=sendrecv", "a=inactive"))).toBe(true);
    expect(holds(offer.replace("c=IN IP4 127.0.0.1", "c=IN IP4 0.0.0.0"))).toBe(true);
    expect(holds(offer)).toBe(false);
    expect(holds(offer.replace("a=sendrecv\r\n", ""))).toBe(false);
  });

  it("re-answers a hold with recvonly, the settled DTLS role and a higher origin version", () => {
    const theirs = offer.replace("a=sendrecv", "a=sendonly");
    const answer = reanswer(offer, "a=setup:active\r\n", theirs);
    expect(answer).toContain("a=recvonly");
    expect(answer).toContain("a=setup:passive");
    expect(answer).toContain("o=- 1545997027 8 IN IP4");
    expect(reanswer(answer, "a=setup:active\r\n", offer)).toContain("a=sendrecv");
  });
});
