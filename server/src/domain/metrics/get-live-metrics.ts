import type { ZAgentMetricsList, ZQueueMetricsList } from "@yixian/contracts";
import type { z } from "zod";
import type { Ctx } from "../context.ts";
import { buildSnapshot } from "./build-snapshot.ts";

/** Every queue's numbers for the current interval, or one queue's (another tenant's id: none). */
export async function getQueueMetrics(ctx: Ctx, query: { queueId?: string | undefined }): Promise<z.infer<typeof ZQueueMetricsList>> {
  const s = await buildSnapshot(ctx, { queueIds: query.queueId ? [query.queueId] : null });
  return { at: s.at, intervalStart: s.intervalStart, intervalEnd: s.intervalEnd, timeZone: s.timeZone, queues: s.queues };
}

/** The queues' members with state, time in state and handled today; `queueId`: one queue's members. */
export async function getAgentMetrics(ctx: Ctx, query: { queueId?: string | undefined }): Promise<z.infer<typeof ZAgentMetricsList>> {
  const s = await buildSnapshot(ctx, { queueIds: query.queueId ? [query.queueId] : null });
  return { at: s.at, dayStart: s.dayStart, timeZone: s.timeZone, agents: s.agents };
}
