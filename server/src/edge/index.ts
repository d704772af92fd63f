/**
 * The edge: what every way in (the HTTP API, socket.io namespaces, and the SIP and webhook
 * endpoints of channels/ and telephony/) asks before and after calling the domain: who the caller
 * is, whether their origin may, whether their role may, and how a failure is answered. It knows
 * no transport (no express, no socket.io); http/ and realtime/ hand it headers and tokens.
 * Imported as `@yixian/server/edge`.
 */
export { authorise, type Authenticated, type RouteAuth } from "./authorise.ts";
export {
  SESSION_COOKIE,
  attachmentLinkCaller,
  bearerToken,
  ctxFor,
  handshakeToken,
  sessionUser,
  socketUser,
  tokenFrom,
  visitorCaller,
  wallboardLinkViewer,
  wallboardUserViewer,
  wallboardViewer,
  type CredentialHeaders,
  type Handshake,
  type WallboardViewer,
} from "./callers.ts";
export { contentDisposition, downloadHeaders, type DownloadedFile } from "./download.ts";
export { ackError, ackFailure, errorBody, toDomainError, validationError, type ErrorLog } from "./error-shape.ts";
export { HTTP_STATUS } from "./http-status.ts";
export { UNSAFE_METHODS, checkSignInOrigin, checkWidgetOrigin, cookieMayOpenSocket, fromOwnOrigin, isOwnOrigin, ownOrigins, type OriginHeaders } from "./origin.ts";
export { requirePermission } from "./permission.ts";
