import { parse as parseCookie } from "cookie";
import { verifyAttachmentLink, linkSecondsLeft, type AttachmentLink } from "../domain/attachments/signed-links.ts";
import { resolveSession, type SessionUser } from "../domain/auth/sessions.ts";
import type { Ctx, Deps } from "../domain/context.ts";
import { DomainError } from "../domain/errors.ts";
import { resolveWallboardLink } from "../domain/metrics/resolve-wallboard-link.ts";
import { isLinkToken } from "../domain/metrics/wallboard-links.ts";
import { resolveVisitorToken, type VisitorSession } from "../domain/widget/visitor-context.ts";
import { checkWidgetOrigin, cookieMayOpenSocket, type OriginHeaders } from "./origin.ts";
import { requirePermission } from "./permission.ts";

// Who the caller is, one function per credential: an agent's session (bearer token or cookie), a
// web chat visitor's token, a wallboard link, a signed attachment link. Each takes what the
// transport carried (headers, a socket handshake, query parameters), never a transport object.

export const SESSION_COOKIE = "yx_session";

/** The credential headers of an HTTP request or a socket handshake. */
export interface CredentialHeaders extends OriginHeaders {
  authorization?: string | undefined;
  cookie?: string | undefined;
}

/** What a socket.io client sends when it connects: its `auth` object and the request's headers. */
export interface Handshake {
  auth: object;
  headers: CredentialHeaders;
}

/** The token of `Authorization: Bearer …`. */
export function bearerToken(headers: Pick<CredentialHeaders, "authorization">): string | null {
  const auth = headers.authorization;
  return auth?.startsWith("Bearer ") ? auth.slice(7).trim() || null : null;
}

/** The token from `Authorization: Bearer …` or, without one, the session cookie. */
export function tokenFrom(headers: Pick<CredentialHeaders, "authorization" | "cookie">): string | null {
  if (headers.authorization?.startsWith("Bearer ")) return bearerToken(headers);
  if (headers.cookie) return parseCookie(headers.cookie)[SESSION_COOKIE] ?? null;
  return null;
}

/**
 * A socket's token: `auth.token`, else a bearer header, else the session cookie, which counts
 * only from the server's own origin (or from a client that names no origin).
 */
export function handshakeToken(handshake: Handshake, publicUrl: string | null): string | null {
  const given = (handshake.auth as { token?: unknown }).token;
  if (typeof given === "string" && given) return given;
  const { authorization, cookie, origin, host } = handshake.headers;
  return bearerToken({ authorization }) ?? (cookieMayOpenSocket({ origin, host }, publicUrl) ? tokenFrom({ cookie }) : null);
}

/** The signed-in user of a session token; null when there is none or it expired or was revoked. */
export function sessionUser(deps: Deps, token: string | null): Promise<SessionUser | null> {
  return token ? resolveSession(deps, token) : Promise.resolve(null);
}

/** The user of a socket's session; UNAUTHENTICATED without one. */
export async function socketUser(deps: Deps, handshake: Handshake): Promise<SessionUser> {
  const token = handshakeToken(handshake, deps.config.publicUrl);
  if (!token) throw new DomainError("UNAUTHENTICATED", "sign in first");
  const user = await resolveSession(deps, token);
  if (!user) throw new DomainError("UNAUTHENTICATED", "session expired or unknown");
  return user;
}

/** A signed-in user's request context. */
export function ctxFor(deps: Deps, user: SessionUser, requestId: string): Ctx {
  return {
    tenantId: user.tenantId,
    actor: { type: "user", id: user.userId, role: user.role, name: user.name },
    deps,
    log: deps.log.child({ tenantId: user.tenantId, userId: user.userId, requestId }),
  };
}

/** Who watches a wallboard: a read-only link (maybe narrowed to queues) or a user who may read queues. */
export interface WallboardViewer {
  tenantId: string;
  /** null: every queue of the tenant. */
  queueIds: string[] | null;
  linkId: string | null;
  /** The session it was opened with (a sign-out closes it). */
  sessionId: string | null;
  expiresAt: Date;
}

/** The viewer of a wallboard link token; UNAUTHENTICATED when it expired, was revoked or is not one. */
export async function wallboardLinkViewer(deps: Deps, token: string): Promise<WallboardViewer> {
  const grant = await resolveWallboardLink(deps, token);
  if (!grant) throw new DomainError("UNAUTHENTICATED", "this wallboard link has expired, was revoked or does not exist");
  return { tenantId: grant.tenantId, queueIds: grant.queueIds, linkId: grant.linkId, sessionId: null, expiresAt: grant.expiresAt };
}

/** A signed-in user as a wallboard viewer: UNAUTHENTICATED without one, FORBIDDEN when their role may not read queues. */
export function wallboardUserViewer(user: SessionUser | null): WallboardViewer {
  if (!user) throw new DomainError("UNAUTHENTICATED", "open the wallboard with a wallboard link or sign in first");
  requirePermission(user, "queue:read");
  return { tenantId: user.tenantId, queueIds: null, linkId: null, sessionId: user.sessionId, expiresAt: user.expiresAt };
}

/** The viewer of a wallboard socket: its token is a wallboard link's or a session's. */
export async function wallboardViewer(deps: Deps, handshake: Handshake): Promise<WallboardViewer> {
  const token = handshakeToken(handshake, deps.config.publicUrl);
  if (token && isLinkToken(token)) return wallboardLinkViewer(deps, token);
  const user = await sessionUser(deps, token);
  if (token && !user) throw new DomainError("UNAUTHENTICATED", "session expired or unknown");
  return wallboardUserViewer(user);
}

/**
 * The web chat visitor of a visitor token (from POST /widget/{key}/sessions), on a page their
 * widget allows: UNAUTHENTICATED for a bad or stale token, FORBIDDEN for another site.
 */
export async function visitorCaller(deps: Deps, token: string | null | undefined, headers: Pick<OriginHeaders, "origin" | "host">): Promise<VisitorSession> {
  const session = await resolveVisitorToken(deps, token);
  checkWidgetOrigin(session.widget, headers, deps.config.publicUrl);
  return session;
}

/**
 * A signed attachment link (no session: it grants its one file until it expires); answers the
 * seconds it has left. A forged, altered or expired link is a link to nothing: NOT_FOUND.
 */
export function attachmentLinkCaller(deps: Pick<Deps, "config" | "clock">, link: AttachmentLink): number {
  if (!verifyAttachmentLink(deps, link)) throw new DomainError("NOT_FOUND", "attachment not found, or the link has expired");
  return linkSecondsLeft(deps, link);
}
