import { MediaServerError, type NgClient, type NgParams, type NgResponse } from "./ng-client.ts";

/**
 * What the call layer asks of the media server, in its own words; rtpengine's NG dictionaries
 * stay in this file. A leg is one party of a call: the SIP Call-ID of the call the media belongs
 * to, and the tag of the party.
 *
 * Profiles describe the side the rewritten SDP is sent to: `rtp` for a trunk or desk phone
 * (plain RTP/AVP, no ICE, RTCP on its own port), `webrtc` for the console's softphone (ICE,
 * DTLS-SRTP, RTCP multiplexed, a=mid, no SDES keys).
 */
export type MediaProfile = "rtp" | "webrtc";

export interface OfferInput {
  callId: string;
  fromTag: string;
  sdp: string;
  /** The profile of the party the offer goes to. */
  to: MediaProfile;
  /** Record the call from its first packet (pcap per call in the recording folder). */
  record?: boolean;
  /** A label stored with the recording (the conversation id). */
  label?: string;
  /**
   * One branch of a forked offer (rtpengine's via-branch): each agent leg rung at once gets media
   * of its own, in its own profile, and the answer names the branch that won.
   */
  branch?: string;
}

export interface AnswerInput {
  callId: string;
  fromTag: string;
  toTag: string;
  sdp: string;
  /** The profile of the party the answer goes back to (the offerer). */
  to: MediaProfile;
  /** The branch of the offer this answers (see OfferInput.branch). */
  branch?: string;
}

const PROFILES: Record<MediaProfile, NgParams> = {
  rtp: { "transport-protocol": "RTP/AVP", ICE: "remove", "rtcp-mux": ["demux"], flags: ["port-latching"] },
  webrtc: { "transport-protocol": "UDP/TLS/RTP/SAVPF", ICE: "force", "rtcp-mux": ["offer", "require"], SDES: ["off"], flags: ["generate-mid", "port-latching"] },
};

function sdpOf(response: NgResponse, command: string): string {
  if (typeof response.sdp !== "string") throw new MediaServerError(`rtpengine answered "${command}" without SDP`, "refused");
  return response.sdp;
}

/** rtpengine's refusal of a tag the call does not have (any more). */
function isUnknownParty(err: unknown): boolean {
  return err instanceof MediaServerError && err.kind === "refused" && /no such tag/i.test(err.message);
}

export class MediaServer {
  constructor(private readonly ng: NgClient) {}

  async ping(): Promise<boolean> {
    return (await this.ng.request("ping")).result === "pong";
  }

  /**
   * Rewrites an offer so that its media runs through rtpengine; returns the SDP to forward. To a
   * browser rtpengine offers itself as the DTLS client (a=setup:active, not actpass): rtpengine
   * takes that role until it has the answer, and a browser that chose to be the client starts
   * its handshake as soon as it has answered — before its answer reaches rtpengine — and fails
   * on rtpengine's own ClientHello. As the server, the browser simply waits for rtpengine.
   */
  async offer(input: OfferInput): Promise<string> {
    const response = await this.ng.request("offer", {
      "call-id": input.callId,
      "from-tag": input.fromTag,
      sdp: input.sdp,
      replace: ["origin", "session-connection"],
      ...PROFILES[input.to],
      ...(input.record ? { "record call": "yes" } : {}),
      ...(input.label ? { label: input.label, metadata: input.label } : {}),
      ...(input.branch ? { "via-branch": input.branch } : {}),
    });
    const sdp = sdpOf(response, "offer");
    return input.to === "webrtc" ? sdp.replace(/^a=setup:actpass\r?$/gm, "a=setup:active") : sdp;
  }

  /** Rewrites the answer of the other party; returns the SDP to send back to the offerer. */
  async answer(input: AnswerInput): Promise<string> {
    const response = await this.ng.request("answer", {
      "call-id": input.callId,
      "from-tag": input.fromTag,
      "to-tag": input.toTag,
      sdp: input.sdp,
      replace: ["origin", "session-connection"],
      ...PROFILES[input.to],
      ...(input.branch ? { "via-branch": input.branch } : {}),
    });
    return sdpOf(response, "answer");
  }

  /** Ends the call's media (all legs); a call rtpengine no longer knows is not an error. */
  async delete(callId: string): Promise<void> {
    try {
      await this.ng.request("delete", { "call-id": callId });
    } catch (err) {
      if (err instanceof MediaServerError && err.kind === "refused" && /unknown call/i.test(err.message)) return;
      throw err;
    }
  }

  /**
   * Plays a file to one party (`hearer` is that party's tag) and resolves with its length in
   * milliseconds. `repeat` plays it that many times (music on hold: a large number).
   */
  async play(callId: string, hearer: string, file: string, repeat = 1): Promise<number> {
    const response = await this.ng.request("play media", { "call-id": callId, "from-tag": hearer, file, "repeat-times": repeat });
    return typeof response.duration === "number" ? response.duration : 0;
  }

  async stopPlaying(callId: string, hearer: string): Promise<void> {
    await this.ng.request("stop media", { "call-id": callId, "from-tag": hearer });
  }

  /** Stops forwarding the media a party sends (so a prompt is not heard mixed with them). */
  async block(callId: string, sender: string): Promise<void> {
    await this.ng.request("block media", { "call-id": callId, "from-tag": sender });
  }

  async unblock(callId: string, sender: string): Promise<void> {
    await this.ng.request("unblock media", { "call-id": callId, "from-tag": sender });
  }

  /**
   * Blocks every party of the call but `except`; resolves with the tags it blocked. A party that
   * leaves between rtpengine's query and its block is skipped: an agent's answer takes the place
   * of the IVR's stand-in party (the tag goes) at any moment of a prompt.
   */
  async blockAllBut(callId: string, except: string): Promise<string[]> {
    const blocked: string[] = [];
    for (const tag of await this.parties(callId)) {
      if (tag === except) continue;
      try {
        await this.block(callId, tag);
        blocked.push(tag);
      } catch (err) {
        if (!isUnknownParty(err)) throw err;
      }
    }
    return blocked;
  }

  /** Lets the parties `blockAllBut` blocked be heard again; one that has left the call since is skipped. */
  async unblockParties(callId: string, tags: string[]): Promise<void> {
    for (const tag of tags) {
      try {
        await this.unblock(callId, tag);
      } catch (err) {
        if (!isUnknownParty(err)) throw err;
      }
    }
  }

  /**
   * The tags of the call's parties: the legs of its offers and answers, without listeners
   * (`listen`) and without the side of an offer not answered yet.
   */
  async parties(callId: string): Promise<string[]> {
    const response = await this.ng.request("query", { "call-id": callId });
    const tags = (response.tags ?? {}) as Record<string, { tag?: string; subscriptions?: { type?: string }[] }>;
    return Object.values(tags)
      .filter((leg) => {
        const subscriptions = leg.subscriptions ?? [];
        return typeof leg.tag === "string" && leg.tag !== "" && subscriptions.length > 0 && subscriptions.every((s) => s.type === "offer/answer");
      })
      .map((leg) => leg.tag as string);
  }

  /**
   * Sends a copy of what `speaker` says to a plain RTP port (a subscription: rtpengine offers the
   * speaker's codecs, the answer takes them all at `address:port`); resolves with the listener's
   * tag for `stopListening`. What is played to the speaker is not in the copy.
   */
  async listen(callId: string, speaker: string, port: number, address = "127.0.0.1"): Promise<string> {
    const offered = await this.ng.request("subscribe request", { "call-id": callId, "from-tag": speaker, ...PROFILES.rtp });
    const sdp = sdpOf(offered, "subscribe request");
    const tag = offered["to-tag"];
    if (typeof tag !== "string") throw new MediaServerError("rtpengine answered \"subscribe request\" without a to-tag", "refused");
    const answer = sdp
      .replace(/^c=IN IP[46] .*$/gm, `c=IN IP4 ${address}`)
      .replace(/^m=audio \d+/m, `m=audio ${port}`)
      .replace(/^a=rtcp:\d+.*$/m, `a=rtcp:${port + 1}`)
      .replace(/^a=sendonly$/m, "a=recvonly");
    await this.ng.request("subscribe answer", { "call-id": callId, "from-tag": speaker, "to-tag": tag, sdp: answer });
    return tag;
  }

  async stopListening(callId: string, speaker: string, listener: string): Promise<void> {
    await this.ng.request("unsubscribe", { "call-id": callId, "from-tag": speaker, "to-tag": listener });
  }

  /** Packets rtpengine received on each party's RTP stream (by tag), from its `query`. */
  async packetsReceived(callId: string): Promise<Record<string, number>> {
    const response = await this.ng.request("query", { "call-id": callId });
    const tags = (response.tags ?? {}) as Record<string, { medias?: { streams?: { flags?: string[]; stats?: { packets?: number } }[] }[] }>;
    const out: Record<string, number> = {};
    for (const [tag, leg] of Object.entries(tags)) {
      let packets = 0;
      for (const media of leg.medias ?? []) {
        for (const stream of media.streams ?? []) {
          // a WebRTC stream muxes RTCP: its one stream carries both flags
          const flags = stream.flags ?? [];
          if (flags.includes("RTP") || !flags.includes("RTCP")) packets += stream.stats?.packets ?? 0;
        }
      }
      out[tag] = packets;
    }
    return out;
  }
}
