/** The few SDP edits the call layer makes itself (rtpengine rewrites everything else). */

const DIRECTION = /^a=(sendrecv|sendonly|recvonly|inactive)\s*$/;
type Direction = "sendrecv" | "sendonly" | "recvonly" | "inactive";

function lines(sdp: string): string[] {
  return sdp.split(/\r?\n/).filter((l, i, all) => l !== "" || i < all.length - 1);
}

function join(out: string[]): string {
  return `${out.filter((l) => l !== "").join("\r\n")}\r\n`;
}

/** The audio port of the first m=audio line, or null. */
export function audioPort(sdp: string): number | null {
  const m = /^m=audio (\d+)/m.exec(sdp);
  return m ? Number(m[1]) : null;
}

/**
 * The IVR's answer to the caller's offer, given to rtpengine as if the far party had sent it:
 * rtpengine's own offer pointed at the discard port of its loopback, so the caller's media goes
 * nowhere while prompts and music play to the caller. (0.0.0.0 would be taken as hold and passed
 * on: the trunk would stop sending, keys included.)
 */
export function ivrAnswer(offerToFarSide: string): string {
  return join(
    lines(offerToFarSide).map((l) => {
      if (l.startsWith("c=")) return "c=IN IP4 127.0.0.1";
      if (l.startsWith("m=audio ")) return l.replace(/^m=audio \d+/, "m=audio 9");
      if (l.startsWith("a=rtcp:")) return "a=rtcp:9";
      return l;
    }),
  );
}

/** The direction the SDP's (first) audio stream asks for: a=…, or inactive for a 0.0.0.0 address (RFC 2543 hold). */
export function directionOf(sdp: string): Direction {
  let direction: Direction = "sendrecv";
  for (const line of lines(sdp)) {
    const m = DIRECTION.exec(line);
    if (m) direction = m[1] as Direction;
    if (/^c=IN IP4 0\.0\.0\.0/.test(line)) return "inactive";
  }
  return direction;
}

/** Whether an offer puts the other party on hold (it will not receive: sendonly or inactive). */
export function holds(sdp: string): boolean {
  const direction = directionOf(sdp);
  return direction === "sendonly" || direction === "inactive";
}

const ANSWER_TO: Record<Direction, Direction> = { sendrecv: "sendrecv", sendonly: "recvonly", recvonly: "sendonly", inactive: "inactive" };

/**
 * Our answer to a re-INVITE (hold or resume) from a party we sent `ours` to earlier: the same
 * media (so nothing is set up again) with the direction that answers theirs (RFC 3264 §6.1), a
 * DTLS role that keeps the one the first answer settled (RFC 5763: we offered actpass, they chose),
 * and the origin's version one higher (§8).
 */
export function reanswer(ours: string, theirFirstAnswer: string, theirOffer: string): string {
  const direction = ANSWER_TO[directionOf(theirOffer)];
  const theirSetup = /^a=setup:(\w+)/m.exec(theirFirstAnswer)?.[1];
  const setup = theirSetup === "passive" ? "active" : "passive";
  let sawDirection = false;
  const out = lines(ours).map((l) => {
    if (DIRECTION.test(l)) {
      sawDirection = true;
      return `a=${direction}`;
    }
    if (l.startsWith("a=setup:")) return `a=setup:${setup}`;
    if (l.startsWith("o=")) {
      const parts = l.split(" ");
      if (parts.length >= 6 && /^\d+$/.test(parts[2] ?? "")) parts[2] = String(BigInt(parts[2]!) + 1n);
      return parts.join(" ");
    }
    return l;
  });
  if (!sawDirection) out.push(`a=${direction}`);
  return join(out);
}
