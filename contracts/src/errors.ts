/** Every error a client can receive, as `{ error: { code, message } }`. */
export const ERROR_CODES = [
  "VALIDATION_FAILED",
  "UNAUTHENTICATED",
  "INVALID_CREDENTIALS",
  "FORBIDDEN",
  "NOT_FOUND",
  "CONFLICT",
  "PAYLOAD_TOO_LARGE",
  "UNSUPPORTED_MEDIA_TYPE",
  "UPLOAD_TRUNCATED",
  "RANGE_NOT_SATISFIABLE",
  "RATE_LIMITED",
  "CSRF_REJECTED",
  "INTERNAL",
  "SERVICE_UNAVAILABLE",
  // customers
  "INVALID_PHONE",
  "IDENTITY_TAKEN",
  "VERIFICATION_CODE_TAKEN",
  "INVALID_VERIFICATION_CODE",
  "CONTACT_MERGED",
  "MERGE_SAME_CONTACT",
  "IMPORT_INVALID_FILE",
  "CONTACT_ALREADY_IDENTIFIED",
  // tickets
  "INVALID_TRANSITION",
  "TICKET_CLOSED",
  "TICKET_MERGED",
  "MERGE_SAME_TICKET",
  "INVALID_CUSTOM_FIELD",
  "RATING_EXISTS",
  // conversations
  "CONVERSATION_ENDED",
  "CONVERSATION_NOT_ACCEPTED",
  "CONVERSATION_HAS_NO_TICKET",
  // users
  "EMAIL_TAKEN",
  "NAME_TAKEN",
  // routing
  "OFFER_EXPIRED",
  "OFFER_CLOSED",
  "AGENT_UNAVAILABLE",
  "AGENT_AT_CAPACITY",
  "NOT_QUEUE_MEMBER",
  "OFFERED_TO_ANOTHER_AGENT",
  // phone
  "DID_TAKEN",
  "AUDIO_INVALID",
  "AUDIO_TRUNCATED",
  "AUDIO_TOO_LONG",
  "DESTINATION_NOT_ALLOWED",
  "NO_OUTBOUND_TRUNK",
  "PHONE_NOT_REGISTERED",
  "CALLBACK_TAKEN",
  "CALLBACK_DONE",
] as const;

export type ErrorCode = (typeof ERROR_CODES)[number];

export interface ErrorBody {
  error: { code: ErrorCode; message: string; details?: unknown };
}

/** A socket request's failure, as its acknowledgement carries it (the server builds it in one place). */
export interface AckFailure {
  ok: false;
  error: { code: ErrorCode; message: string };
}
