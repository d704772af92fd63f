import { recordCallEvent, sipRegistrationsOf, systemCtx, type SipRegistration } from "@yixian/server/domain";
import type { MediaProfile } from "../media/index.ts";
import { newTag, parseContact, sipUri, type Destination, type Flow, type NameAddr } from "../sip/index.ts";
import { CALLER, type AgentLeg, type Call } from "./call.ts";
import type { Runtime } from "./runtime.ts";
import { legAnswered } from "./talking.ts";

const SDP = "application/sdp";

/** An offer of a call's work item to an agent (from routing's `offer:new`). */
export interface CallOffer {
  offerId: string;
  agentId: string;
  conversationId: string;
}

function profileOf(registration: SipRegistration): MediaProfile {
  return registration.transport === "ws" || registration.transport === "wss" ? "webrtc" : "rtp";
}

/** Where a registration is reached: back over the flow its REGISTER came by (NAT-safe, and the only way to a WebSocket). */
function destinationOf(registration: SipRegistration): Destination | undefined {
  if (!registration.flow) return undefined;
  const flow = JSON.parse(registration.flow) as Flow;
  return { transport: flow.transport, address: flow.remote.address, port: flow.remote.port, ...(flow.connectionId ? { connectionId: flow.connectionId } : {}) };
}

function callerAddress(rt: Runtime, call: Call): NameAddr {
  const number = call.started?.from ?? call.caller.number;
  const uri = number ? sipUri(rt.deps.config.sipRealm, { user: number }) : sipUri("anonymous.invalid", { user: "anonymous" });
  return { uri, params: new Map(), ...(call.caller.name ? { displayName: call.caller.name } : number ? {} : { displayName: "Anonymous" }) };
}

/**
 * Rings the agent an offer went to: an INVITE to each of their live registrations (the console's
 * softphone over WebSocket gets WebRTC media, a desk phone plain RTP), each with its own branch of
 * the caller's media, carrying the offer and conversation so the console ties the ring to its
 * screen pop. The first to answer takes the call (talking.ts); an offer closed meanwhile stops them.
 */
export async function ringAgent(rt: Runtime, call: Call, offer: CallOffer): Promise<void> {
  await Promise.race([call.answered, new Promise<void>((resolve) => call.hungUp.signal.addEventListener("abort", () => resolve(), { once: true }))]);
  if (call.state !== "waiting" || call.bridged || call.leaving || !call.started) return;
  const registrations = await sipRegistrationsOf(rt.deps, call.tenantId, offer.agentId);
  const reachable = registrations.filter((r) => r.nodeId === null || r.nodeId === rt.nodeId || profileOf(r) === "rtp");
  if (reachable.length === 0) {
    rt.log.info({ callId: call.sipCallId, agentId: offer.agentId, registrations: registrations.length }, "the agent offered the call has no phone this node can ring");
    return;
  }
  await recordCallEvent(systemCtx(rt.deps, call.tenantId), call.started.callRecordId, { type: "ringing", agentId: offer.agentId });
  for (const registration of reachable) {
    if (call.state !== "waiting") return;
    const contact = parseContact(registration.contact);
    if (contact === "*") continue;
    const profile = profileOf(registration);
    const id = newTag();
    try {
      const sdp = await rt.media.offer({ callId: call.sipCallId, fromTag: CALLER, sdp: call.callerOffer, to: profile, branch: id });
      if (call.state !== "waiting") return;
      const outgoing = await rt.ua.invite({
        uri: contact.uri,
        body: { body: Buffer.from(sdp), contentType: SDP },
        from: callerAddress(rt, call),
        to: { uri: sipUri(rt.deps.config.sipRealm, { user: registration.username }), params: new Map() },
        headers: [
          { name: "X-Yixian-Offer", value: offer.offerId },
          { name: "X-Yixian-Conversation", value: offer.conversationId },
        ],
        destination: destinationOf(registration),
      });
      const leg: AgentLeg = { id, offerId: offer.offerId, agentId: offer.agentId, profile, sdp, outgoing, state: "ringing" };
      call.legs.set(id, leg);
      rt.changed(call);
      void outgoing.result.then(async (result) => {
        if (result.response.status >= 200 && result.response.status < 300 && result.dialog) await legAnswered(rt, call, leg, result);
        else if (leg.state === "ringing") {
          leg.state = "ended";
          rt.changed(call);
        }
      });
    } catch (err) {
      rt.log.warn({ err, callId: call.sipCallId, agentId: offer.agentId, contact: registration.contact }, "an agent's phone could not be rung");
    }
  }
}

/** The offer closed (expired, withdrawn, taken elsewhere): its legs still ringing stop; the caller keeps the music. */
export function stopRinging(rt: Runtime, call: Call, offerId: string): void {
  for (const leg of call.legsOfOffer(offerId)) {
    if (leg.state !== "ringing") continue;
    leg.outgoing.cancel();
  }
  rt.changed(call);
}
