import type { Request, Response } from "express";
import type { z } from "zod";
import type { SessionUser } from "../domain/auth/sessions.ts";
import type { Ctx, Deps } from "../domain/context.ts";
import type { RouteAuth } from "../edge/index.ts";

export type Method = "get" | "post" | "put" | "patch" | "delete";

type Infer<S> = S extends z.ZodType ? z.infer<S> : undefined;

export interface HandlerInput<A extends RouteAuth, P, Q, B> {
  ctx: A extends "public" ? Ctx | null : Ctx;
  deps: Deps;
  /** The caller's session, when signed in. */
  session: SessionUser | null;
  params: P;
  query: Q;
  body: B;
  req: Request;
  res: Response;
}

export interface RouteDef<
  A extends RouteAuth = RouteAuth,
  PS extends z.ZodType | undefined = z.ZodType | undefined,
  QS extends z.ZodType | undefined = z.ZodType | undefined,
  BS extends z.ZodType | undefined = z.ZodType | undefined,
  RS extends z.ZodType | undefined = z.ZodType | undefined,
> {
  method: Method;
  /** OpenAPI form: /tickets/{ticketId}. Path parameters are named for what they identify. */
  path: string;
  summary: string;
  tag: string;
  auth: A;
  params?: PS;
  query?: QS;
  body?: BS;
  /** The `data` of a successful answer; omit for 204 No Content. */
  response?: RS;
  status?: 200 | 201 | 202 | 204;
  /** An example request body, shown in the OpenAPI document. */
  example?: unknown;
  /** Set when the request is not JSON (uploads): the handler reads the stream itself. */
  requestContentType?: "multipart/form-data";
  /** Set when the answer is not JSON (downloads): the handler writes it itself. */
  responseContentType?: string;
  handler: (input: HandlerInput<A, Infer<PS>, Infer<QS>, Infer<BS>>) => Promise<RS extends z.ZodType ? z.input<RS> : void>;
}

/** Identity function that keeps the handler's types tied to its schemas. */
export function defineRoute<
  A extends RouteAuth,
  PS extends z.ZodType | undefined = undefined,
  QS extends z.ZodType | undefined = undefined,
  BS extends z.ZodType | undefined = undefined,
  RS extends z.ZodType | undefined = undefined,
>(def: RouteDef<A, PS, QS, BS, RS>): AnyRoute {
  return def as unknown as AnyRoute;
}

export type AnyRoute = RouteDef<RouteAuth, z.ZodType | undefined, z.ZodType | undefined, z.ZodType | undefined, z.ZodType | undefined> & {
  handler: (input: HandlerInput<RouteAuth, unknown, unknown, unknown>) => Promise<unknown>;
};
