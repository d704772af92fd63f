/**
 * The domain facade: what channel adapters (channels/, telephony/) may use. They import this
 * (as `@yixian/server/domain`) and `@yixian/contracts`, never deeper domain files, and never SQL.
 */
export { systemCtx, type Actor, type Ctx, type Deps } from "./context.ts";
export { DomainError } from "./errors.ts";

// the way in: every channel's customer messages and conversation starts
export { receiveMessage, type InboundMessage, type InboundSender, type Received } from "./conversations/receive-message.ts";

// the way out: a channel's outbound port, and the receipts it reports
export { OutboundPorts, type Delivery, type OutboundConversation, type OutboundPort, type OutboundState } from "./channels/outbound-port.ts";
export { recordDelivery, type DeliveredMessage } from "./channels/record-delivery.ts";

// committed events, for adapters that act on them
export type { OutboxEvent, OutboxSubscriber, RetryPolicy } from "./events/outbox.ts";

// web chat: the widget's stored data (configs, visitors, their sessions and uploads) and the
// visitor's use-cases; the adapter passes its channel and ref format (VisitorChannel)
export type { VisitorChannel } from "./widget/visitor-channel.ts";
export { loadVisitorSession, resolveVisitorToken, widgetAllowsOrigin, widgetByKey, type VisitorSession } from "./widget/visitor-context.ts";
export { createVisitorSession } from "./widget/sessions.ts";
export { publicWidgetConfig } from "./widget/public-config.ts";
export { sessionLimiter } from "./widget/rate-limit.ts";
export { submitPreChat } from "./widget/pre-chat.ts";
export { leaveMessage } from "./widget/leave-message.ts";
export { rateVisitorConversation } from "./widget/visitor-rating.ts";
export { recordVisitorUpload, takeUploadToken } from "./widget/visitor-upload.ts";
export { endVisitorConversation, markVisitorRead, sendVisitorMessage, startConversationForVisitor, visitorConversationRow, visitorMessages } from "./widget/visitor-chat.ts";
export { messageForVisitors, visitorsOfConversation, visitorUpdates, type VisitorUpdate } from "./widget/visitor-relay.ts";
export { queuedVisitorPlaces, type QueuePlace } from "./widget/queue-places.ts";
export { agentOf as visitorAgent } from "./widget/present-visitor.ts";

// a file a signed link grants (the widget's downloads)
export { openAttachment } from "./attachments/open-attachment.ts";

// the phone: SIP accounts and registrations for the registrar, numbers for inbound calls
export {
  findSipAccount,
  removeSessionRegistrations,
  removeSipRegistrations,
  saveSipRegistration,
  sipRegistrationsByUsername,
  sipRegistrationsOf,
  sweepExpiredRegistrations,
  type SipAccount,
  type SipRegistration,
} from "./voice/sip-accounts.ts";
export { openCallRecord, recordCallEvent, type CallEvent, type OpenCall } from "./voice/call-records.ts";
export { findInboundNumber, tenantPromptFile, tenantPromptFiles, type InboundNumber, type VoiceIvr } from "./voice/entry-points.ts";
export { inboundTrunk, trunkSources, type InboundTrunk } from "./voice/inbound-trunk.ts";
export { holdTrunkRegistration, recordTrunkRegistration, trunksToRegister, type TrunkToRegister } from "./voice/trunk-registrations.ts";

// a call's life on the channel port: started, answered (the offer accepted), ended, rated, recorded
export { startInboundCall, type InboundCall, type StartedCall } from "./call-flow/start-inbound-call.ts";
export { queueInboundCall, type QueueCall } from "./call-flow/queue-inbound-call.ts";
export { identifyCallerByCode, type KeyedCode } from "./call-flow/identify-caller-by-code.ts";
export { callQueuePlace, type CallQueuePlace } from "./call-flow/call-queue-place.ts";
export { bookCallback, leaveVoicemail, type Voicemail } from "./call-flow/leave-voicemail.ts";
export type { CallWork, LeavingCall } from "./call-flow/call-to-work.ts";
export { finishCallerWork, listMyCallerWork } from "./routing/finish-caller-work.ts";
export { recordCallAnswered } from "./call-flow/caller-reached.ts";
export { answerCall, type AnsweredCall } from "./call-flow/answer-call.ts";
export { endCall, type CallEnd } from "./call-flow/end-call.ts";
export { placeOutboundCall, type OutboundCallRequest, type PlacedCall } from "./call-flow/place-outbound-call.ts";
export { rateCall } from "./call-flow/rate-call.ts";
export { storeCallRecording, type CallRecording } from "./call-flow/store-call-recording.ts";
export { closeOrphanedCalls, NODE_RESTARTED } from "./call-flow/close-orphaned-calls.ts";
export { rejectOffer } from "./routing/answer-offer.ts";
