import type { Permission } from "@yixian/contracts";
import type { SessionUser } from "../domain/auth/sessions.ts";
import type { Ctx, Deps } from "../domain/context.ts";
import { DomainError } from "../domain/errors.ts";
import { bearerToken, ctxFor, sessionUser, tokenFrom, type CredentialHeaders } from "./callers.ts";
import { UNSAFE_METHODS, fromOwnOrigin } from "./origin.ts";
import { requirePermission } from "./permission.ts";

/** What a request needs: a permission, any signed-in user, or nobody (a session still counts). */
export type RouteAuth = Permission | "authenticated" | "public";

export interface Authenticated {
  ctx: Ctx | null;
  user: SessionUser | null;
}

/**
 * Resolves the caller of a request and checks its permission; throws a coded error otherwise. A
 * change (POST, PUT, PATCH, DELETE) carried by the session cookie alone must come from the
 * server's own origin (CSRF): otherwise a public request treats the caller as anonymous and any
 * other answers 403 CSRF_REJECTED. Bearer tokens are never sent by a browser on its own.
 */
export async function authorise(deps: Deps, request: { method: string; headers: CredentialHeaders }, auth: RouteAuth, requestId: string): Promise<Authenticated> {
  let token = tokenFrom(request.headers);
  const byCookie = token !== null && bearerToken(request.headers) === null;
  if (byCookie && UNSAFE_METHODS.has(request.method) && !fromOwnOrigin(request.headers, deps.config.publicUrl)) {
    if (auth !== "public") throw new DomainError("CSRF_REJECTED", "this change must come from the console's own page (Origin or Referer of this server)");
    token = null;
  }
  const user = await sessionUser(deps, token);
  if (auth === "public") return { ctx: user ? ctxFor(deps, user, requestId) : null, user };
  if (!user) throw new DomainError("UNAUTHENTICATED", "sign in first");
  if (auth !== "authenticated") requirePermission(user, auth);
  return { ctx: ctxFor(deps, user, requestId), user };
}
