import type { ZQueueIntervals } from "@yixian/contracts";
import type { z } from "zod";
import type { Ctx } from "../context.ts";
import { DomainError } from "../errors.ts";
import { intervalSeries } from "./definitions.ts";
import { loadItemsBetween, loadQueues, loadTenant } from "./load-facts.ts";
import { localDayBounds } from "../../platform/time-zone.ts";
import { bucketStart, bucketsBetween } from "./time-buckets.ts";

const MAX_RANGE_MS = 31 * 24 * 3_600_000;

/**
 * One queue's metrics in 15-minute intervals aligned to the tenant's time zone, from the
 * interval holding `from` up to `to` (default: today so far). For reports.
 */
export async function listQueueIntervals(ctx: Ctx, queueId: string, query: { from?: string | undefined; to?: string | undefined }): Promise<z.infer<typeof ZQueueIntervals>> {
  const [queue] = await loadQueues(ctx, [queueId]);
  if (!queue) throw new DomainError("NOT_FOUND", "queue not found");
  const tenant = await loadTenant(ctx);
  const now = ctx.deps.clock.now().getTime();
  const from = query.from ? Date.parse(query.from) : localDayBounds(tenant.timeZone, now).start;
  const to = query.to ? Date.parse(query.to) : now;
  if (to <= from) throw new DomainError("VALIDATION_FAILED", "query.to: must be after from");
  if (to - from > MAX_RANGE_MS) throw new DomainError("VALIDATION_FAILED", "query.to: at most 31 days after from");
  const buckets = bucketsBetween(from, to, tenant.timeZone);
  const items = await loadItemsBetween(ctx, queue.id, new Date(bucketStart(from, tenant.timeZone)), new Date(buckets.at(-1)?.end ?? to));
  return {
    queueId: queue.id,
    name: queue.name,
    timeZone: tenant.timeZone,
    serviceLevelSeconds: queue.serviceLevelSeconds,
    intervals: intervalSeries(items, buckets, queue.serviceLevelSeconds).map((rates, i) => ({
      start: new Date(buckets[i]!.start).toISOString(),
      end: new Date(buckets[i]!.end).toISOString(),
      ...rates,
    })),
  };
}
