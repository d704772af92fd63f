/** The SIP stack: parser, transports, transactions, dialogs and the UA core (docs/decisions/0016-sip-stack.md). */
export * from "./message.ts";
export * from "./parser/errors.ts";
export * from "./parser/grammar.ts";
export * from "./parser/uri.ts";
export * from "./parser/name-addr.ts";
export * from "./parser/via.ts";
export * from "./parser/parse-message.ts";
export * from "./parser/serialize.ts";
export * from "./parser/framer.ts";
export * from "./parser/error-response.ts";
export { parseCSeq, parseCallId } from "./parser/core-headers.ts";
