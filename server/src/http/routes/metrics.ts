import {
  ZAgentMetricsList,
  ZCreateWallboardLink,
  ZCreatedWallboardLink,
  ZId,
  ZQueueIntervals,
  ZQueueIntervalsQuery,
  ZQueueMetricsList,
  ZQueueMetricsQuery,
  ZWallboardLink,
  ZWallboardQuery,
  ZWallboardSnapshot,
} from "@yixian/contracts";
import type { Request } from "express";
import { z } from "zod";
import { systemCtx, type Deps } from "../../domain/context.ts";
import { buildSnapshot } from "../../domain/metrics/build-snapshot.ts";
import { createWallboardLink } from "../../domain/metrics/create-wallboard-link.ts";
import { getAgentMetrics, getQueueMetrics } from "../../domain/metrics/get-live-metrics.ts";
import { listQueueIntervals } from "../../domain/metrics/list-queue-intervals.ts";
import { listWallboardLinks } from "../../domain/metrics/list-wallboard-links.ts";
import { revokeWallboardLink } from "../../domain/metrics/revoke-wallboard-link.ts";
import type { SessionUser } from "../../domain/auth/sessions.ts";
import { wallboardLinkViewer, wallboardUserViewer } from "../../edge/index.ts";
import { defineRoute, type AnyRoute } from "../route.ts";

const QueueParams = z.object({ queueId: ZId });
const LinkParams = z.object({ wallboardLinkId: ZId });

/** The page's address for a link token: PUBLIC_URL, or the address this request came in on. */
function pageUrl(deps: Deps, req: Request, token: string): string {
  const url = new URL("/wallboard", deps.config.publicUrl ?? `${req.protocol}://${req.get("host") ?? "localhost"}`);
  url.searchParams.set("token", token);
  return url.toString();
}

/** GET /wallboard: a link token opens its tenant's (maybe narrowed) view; else a session that may read queues. */
async function wallboardFor(deps: Deps, session: SessionUser | null, token: string | undefined) {
  const viewer = token ? await wallboardLinkViewer(deps, token) : wallboardUserViewer(session);
  return buildSnapshot(systemCtx(deps, viewer.tenantId), { queueIds: viewer.queueIds });
}

export const metricsRoutes: AnyRoute[] = [
  defineRoute({
    method: "get",
    path: "/metrics/queues",
    tag: "metrics",
    summary: "Live metrics of every queue (or one) for the current 15-minute interval",
    auth: "queue:read",
    query: ZQueueMetricsQuery,
    response: ZQueueMetricsList,
    handler: ({ ctx, query }) => getQueueMetrics(ctx, query),
  }),
  defineRoute({
    method: "get",
    path: "/metrics/queues/{queueId}/intervals",
    tag: "metrics",
    summary: "A queue's metrics in 15-minute intervals of the tenant's time zone (for reports)",
    auth: "queue:read",
    params: QueueParams,
    query: ZQueueIntervalsQuery,
    response: ZQueueIntervals,
    handler: ({ ctx, params, query }) => listQueueIntervals(ctx, params.queueId, query),
  }),
  defineRoute({
    method: "get",
    path: "/metrics/agents",
    tag: "metrics",
    summary: "Agents of the queues (or one queue): state, time in state, handled today",
    auth: "queue:read",
    query: ZQueueMetricsQuery,
    response: ZAgentMetricsList,
    handler: ({ ctx, query }) => getAgentMetrics(ctx, query),
  }),
  defineRoute({
    method: "get",
    path: "/wallboard",
    tag: "metrics",
    summary: "The wallboard's current snapshot, for a wallboard link's token or a signed-in user",
    auth: "public",
    query: ZWallboardQuery,
    response: ZWallboardSnapshot,
    handler: ({ deps, session, query }) => wallboardFor(deps, session, query.token),
  }),
  defineRoute({
    method: "post",
    path: "/wallboard-links",
    tag: "metrics",
    summary: "Create a read-only wallboard link (the token is shown once)",
    auth: "queue:manage",
    status: 201,
    body: ZCreateWallboardLink,
    response: ZCreatedWallboardLink,
    example: { name: "大厅电视 Hall TV", queueIds: [] },
    handler: async ({ ctx, deps, req, body }) => {
      const created = await createWallboardLink(ctx, body);
      return { ...created, url: pageUrl(deps, req, created.token) };
    },
  }),
  defineRoute({
    method: "get",
    path: "/wallboard-links",
    tag: "metrics",
    summary: "List wallboard links: active, expired and revoked",
    auth: "queue:manage",
    response: z.array(ZWallboardLink),
    handler: ({ ctx }) => listWallboardLinks(ctx),
  }),
  defineRoute({
    method: "delete",
    path: "/wallboard-links/{wallboardLinkId}",
    tag: "metrics",
    summary: "Revoke a wallboard link; pages open with it are cut off",
    auth: "queue:manage",
    params: LinkParams,
    status: 204,
    handler: ({ ctx, params }) => revokeWallboardLink(ctx, params.wallboardLinkId),
  }),
];
