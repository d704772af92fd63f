/** Why a call ended, in the console's words. */
export type EndCause =
  | "hung-up"
  | "remote-hung-up"
  | "busy"
  | "declined"
  | "unavailable"
  | "not-found"
  | "cancelled"
  | "no-answer"
  | "microphone"
  | "media"
  | "connection"
  | "destination-not-allowed"
  | "phone-not-registered"
  | "no-trunk"
  | "not-allowed"
  | "failed";

/** The server's refusals of an agent's call (X-Yixian-Refusal), in the console's words. */
const REFUSALS: Record<string, EndCause> = {
  DESTINATION_NOT_ALLOWED: "destination-not-allowed",
  PHONE_NOT_REGISTERED: "phone-not-registered",
  NO_OUTBOUND_TRUNK: "no-trunk",
  INVALID_PHONE: "not-found",
  FORBIDDEN: "not-allowed",
};

/**
 * Why a call the agent placed failed, from the final response: the server's own refusal first
 * (outbound limits, an unregistered phone, no trunk), else what the far end said through the
 * trunk (busy, no answer, not found, unreachable). Null when the response says nothing more
 * than JsSIP's cause does.
 */
export function outboundFailure(status: number, refusal: string | null | undefined): EndCause | null {
  const refused = refusal ? REFUSALS[refusal.trim()] : undefined;
  if (refused) return refused;
  if (status === 486 || status === 600) return "busy";
  if (status === 408 || status === 480) return "no-answer";
  if (status === 404 || status === 484 || status === 604) return "not-found";
  if (status === 603) return "declined";
  if (status >= 500 && status < 600) return "unavailable";
  return null;
}
