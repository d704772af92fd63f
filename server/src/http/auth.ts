import { roleCan } from "@yixian/contracts";
import { parse as parseCookie } from "cookie";
import type { Request } from "express";
import type { Ctx, Deps } from "../domain/context.ts";
import { resolveSession, type SessionUser } from "../domain/auth/sessions.ts";
import { DomainError } from "../domain/errors.ts";
import { UNSAFE_METHODS, fromOwnOrigin } from "./csrf.ts";
import type { RouteAuth } from "./route.ts";

export const SESSION_COOKIE = "yx_session";

/** The token from `Authorization: Bearer …` or the session cookie. */
export function tokenFrom(headers: { authorization?: string | undefined; cookie?: string | undefined }): string | null {
  const auth = headers.authorization;
  if (auth?.startsWith("Bearer ")) return auth.slice(7).trim() || null;
  if (headers.cookie) return parseCookie(headers.cookie)[SESSION_COOKIE] ?? null;
  return null;
}

export function ctxFor(deps: Deps, user: SessionUser, requestId: string): Ctx {
  return {
    tenantId: user.tenantId,
    actor: { type: "user", id: user.userId, role: user.role, name: user.name },
    deps,
    log: deps.log.child({ tenantId: user.tenantId, userId: user.userId, requestId }),
  };
}

export interface Authenticated {
  ctx: Ctx | null;
  user: SessionUser | null;
}

/**
 * Resolves the caller and checks the route's permission; throws a coded error otherwise. A
 * change (POST, PUT, PATCH, DELETE) carried by the session cookie alone must come from the
 * server's own origin (CSRF): otherwise a public route treats the caller as anonymous and any
 * other answers 403 CSRF_REJECTED. Bearer tokens are never sent by a browser on its own.
 */
export async function authorise(deps: Deps, req: Request, auth: RouteAuth, requestId: string): Promise<Authenticated> {
  let token = tokenFrom(req.headers);
  const byCookie = token !== null && !req.headers.authorization?.startsWith("Bearer ");
  if (byCookie && UNSAFE_METHODS.has(req.method) && !fromOwnOrigin(req.headers, deps.config.publicUrl)) {
    if (auth !== "public") throw new DomainError("CSRF_REJECTED", "this change must come from the console's own page (Origin or Referer of this server)");
    token = null;
  }
  const user = token ? await resolveSession(deps, token) : null;
  if (auth === "public") return { ctx: user ? ctxFor(deps, user, requestId) : null, user };
  if (!user) throw new DomainError("UNAUTHENTICATED", "sign in first");
  if (auth !== "authenticated" && !roleCan(user.role, auth)) {
    throw new DomainError("FORBIDDEN", `your role (${user.role}) may not ${auth.replace(":", " ")}`);
  }
  return { ctx: ctxFor(deps, user, requestId), user };
}
