import type { Deps } from "@yixian/server/domain";
import type { DtmfListener, MediaServer } from "../media/index.ts";
import type { PromptLibrary, SpokenMessages } from "../prompts/index.ts";
import type { DigestAuthenticator, Dialog, UserAgent } from "../sip/index.ts";
import type { TrunkDigest } from "../trunks/index.ts";
import type { AgentLeg, Call } from "./call.ts";
import type { Keypad } from "./keypad.ts";
import type { OutboundCall } from "./outbound-call.ts";

/** What the call flows share on one node: the SIP UA, media, prompts, and the calls it owns. */
export interface Runtime {
  deps: Deps;
  ua: UserAgent;
  media: MediaServer;
  keypad: Keypad;
  /** rtpengine's DTMF events (the IVR's caller lines listen to them). */
  dtmf: DtmfListener;
  /** This node's address that rtpengine sends voicemail audio to. */
  listenAddress: string;
  /** rtpengine's recording folder as this node reads it; null: recordings are not kept. */
  recordingDir: string | null;
  prompts: PromptLibrary;
  /** Navigation rules' messages, spoken (cached under the data dir). */
  speech: SpokenMessages;
  nodeId: string | null;
  calls: CallRegistry;
  /** Calls agents' phones place through trunks, by the trunk leg's Call-ID. */
  outbound: Map<string, OutboundCall>;
  /** Digest for agents' phones placing calls (the registrar's passwords). */
  authenticator: DigestAuthenticator;
  /** Digest challenges for trunks with a digest user. */
  trunkDigest: TrunkDigest;
  log: Deps["log"];
  /** Tells watchers (tests, metrics) that a call moved. */
  changed(call: Call): void;
  outboundChanged(call: OutboundCall): void;
}

/** The calls this node owns, by SIP Call-ID, by conversation, and by the dialogs of their legs. */
export class CallRegistry {
  private readonly bySipId = new Map<string, Call>();
  private readonly byConversation = new Map<string, Call>();
  private readonly byDialog = new Map<string, { call: Call; leg: AgentLeg | null }>();

  add(call: Call): void {
    this.bySipId.set(call.sipCallId, call);
  }

  bindConversation(call: Call, conversationId: string): void {
    this.byConversation.set(conversationId, call);
  }

  bindDialog(call: Call, dialog: Dialog, leg: AgentLeg | null): void {
    this.byDialog.set(dialog.key, { call, leg });
  }

  get(sipCallId: string): Call | undefined {
    return this.bySipId.get(sipCallId);
  }

  ofConversation(conversationId: string): Call | undefined {
    return this.byConversation.get(conversationId);
  }

  ofDialog(dialog: Dialog): { call: Call; leg: AgentLeg | null } | undefined {
    return this.byDialog.get(dialog.key);
  }

  remove(call: Call): void {
    if (this.bySipId.get(call.sipCallId) === call) this.bySipId.delete(call.sipCallId);
    for (const [id, c] of this.byConversation) if (c === call) this.byConversation.delete(id);
    for (const [key, entry] of this.byDialog) if (entry.call === call) this.byDialog.delete(key);
  }

  all(): Call[] {
    return [...this.bySipId.values()];
  }
}
