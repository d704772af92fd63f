/** Why a message was refused. `status` is what a request with this fault is answered (400 unless said). */
export type SipParseReason =
  | "EMPTY"
  | "TOO_LARGE"
  | "START_LINE"
  | "VERSION"
  | "STATUS_CODE"
  | "HEADER_LINE"
  | "MISSING_HEADER"
  | "DUPLICATE_HEADER"
  | "BAD_HEADER"
  | "REQUEST_URI"
  | "CSEQ_METHOD"
  | "CONTENT_LENGTH"
  | "FRAMING";

/** The one error the parser throws: anything else escaping it is a bug (the fuzz test holds it to that). */
export class SipParseError extends Error {
  override readonly name = "SipParseError";
  constructor(
    readonly reason: SipParseReason,
    message: string,
    /** The header at fault, when one is. */
    readonly header?: string,
  ) {
    super(message);
  }

  /** The status a request refused for this reason is answered with. */
  get status(): number {
    if (this.reason === "VERSION") return 505;
    if (this.reason === "TOO_LARGE") return 513;
    return 400;
  }
}

export function fail(reason: SipParseReason, message: string, header?: string): never {
  throw new SipParseError(reason, message, header);
}
