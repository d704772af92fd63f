import { randomUUID } from "node:crypto";
import type { Request, Response, Router } from "express";
import type { Deps } from "../domain/context.ts";
import { authorise, validationError } from "../edge/index.ts";
import type { AnyRoute } from "./route.ts";
import type { z } from "zod";

/** /tickets/{ticketId} → /tickets/:ticketId */
export function expressPath(path: string): string {
  return path.replace(/\{(\w+)\}/g, ":$1");
}

function parse(schema: z.ZodType | undefined, value: unknown, where: string): unknown {
  if (!schema) return undefined;
  const result = schema.safeParse(value ?? {});
  if (!result.success) throw validationError(where, result.error);
  return result.data;
}

/**
 * Answers `{ data }` as JSON. A GET or HEAD goes through express, whose ETag lets a client ask
 * again with If-None-Match (304); other methods' answers are never conditional, so they are
 * written straight, without hashing the body for an ETag nobody can use.
 */
function answer(req: Request, res: Response, status: number, data: unknown): void {
  if (req.method === "GET" || req.method === "HEAD") {
    res.status(status).json({ data });
    return;
  }
  const body = JSON.stringify({ data });
  res.statusCode = status;
  res.setHeader("Content-Type", "application/json; charset=utf-8");
  res.setHeader("Content-Length", Buffer.byteLength(body));
  res.end(body);
}

/**
 * Mounts each route: authenticate and authorise first (so an unauthorised caller learns nothing
 * from validation messages), then validate params, query and body, call the handler, and answer
 * `{ data }`. Errors go to the error handler, which answers `{ error: { code, message } }`.
 */
export function mountRoutes(router: Router, deps: Deps, routes: AnyRoute[]): void {
  for (const route of routes) {
    router[route.method](expressPath(route.path), async (req, res) => {
      const requestId = randomUUID();
      const { ctx, user } = await authorise(deps, req, route.auth, requestId);
      const params = parse(route.params, req.params, "params");
      const query = parse(route.query, req.query, "query");
      const body = route.requestContentType ? undefined : parse(route.body, req.body, "body");
      const data = await route.handler({ ctx, deps, session: user, params, query, body, req, res });
      if (res.headersSent) return;
      if (route.status === 204 || !route.response) {
        res.status(204).end();
        return;
      }
      answer(req, res, route.status ?? 200, data);
    });
  }
}
