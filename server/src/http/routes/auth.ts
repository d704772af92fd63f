import { ZLoginRequest, ZLoginResponse, ZMe } from "@yixian/contracts";
import { login, logout } from "../../domain/auth/sessions.ts";
import { getMe } from "../../domain/users/get-me.ts";
import { DomainError } from "../../domain/errors.ts";
import { SESSION_COOKIE, checkSignInOrigin } from "../../edge/index.ts";
import { defineRoute } from "../route.ts";

function secureCookie(mode: "true" | "false" | "auto", protocol: string): boolean {
  return mode === "true" || (mode === "auto" && protocol === "https");
}

export const authRoutes = [
  defineRoute({
    method: "post",
    path: "/auth/login",
    tag: "auth",
    summary:
      "Sign in with e-mail and password; sets the session cookie and returns a bearer token. A request naming another site as its Origin (or Referer) is refused: 403 CSRF_REJECTED",
    auth: "public",
    body: ZLoginRequest,
    response: ZLoginResponse,
    example: { email: "agent@demo.yixian.dev", password: "yixian-demo" },
    handler: async ({ deps, body, req, res }) => {
      checkSignInOrigin(req.headers, deps.config.publicUrl);
      // req.ip: the socket's address, or X-Forwarded-For's from a proxy on this machine (trust proxy)
      const session = await login(deps, { ...body, source: req.ip ?? req.socket.remoteAddress ?? "unknown", userAgent: req.headers["user-agent"] });
      res.cookie(SESSION_COOKIE, session.token, {
        httpOnly: true,
        sameSite: "lax",
        secure: secureCookie(deps.config.cookieSecure, req.protocol),
        expires: session.expiresAt,
        path: "/",
      });
      return {
        token: session.token,
        expiresAt: session.expiresAt.toISOString(),
        user: { id: session.user.userId, tenantId: session.user.tenantId, role: session.user.role, name: session.user.name, email: session.user.email },
      };
    },
  }),
  defineRoute({
    method: "post",
    path: "/auth/logout",
    tag: "auth",
    summary: "End this session",
    auth: "authenticated",
    status: 204,
    handler: async ({ deps, session, res }) => {
      if (!session) throw new DomainError("UNAUTHENTICATED", "sign in first");
      await logout(deps, session);
      res.clearCookie(SESSION_COOKIE, { path: "/" });
    },
  }),
  defineRoute({
    method: "get",
    path: "/auth/me",
    tag: "auth",
    summary: "The signed-in user, their tenant and their permissions",
    auth: "authenticated",
    response: ZMe,
    handler: ({ ctx }) => getMe(ctx),
  }),
];
