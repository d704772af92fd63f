import { z } from "zod";

export const ZId = z.uuid();
export const ZTimestamp = z.string().describe("ISO 8601 timestamp, UTC");

export const ZPageQuery = z.object({
  limit: z.coerce.number().int().min(1).max(200).default(50),
  cursor: z.string().max(200).optional().describe("Opaque cursor from the previous page's nextCursor"),
});
export type PageQuery = z.infer<typeof ZPageQuery>;

export function page<T extends z.ZodType>(item: T) {
  return z.object({ items: z.array(item), nextCursor: z.string().nullable() });
}
export interface Page<T> {
  items: T[];
  nextCursor: string | null;
}

export const CHANNELS = ["phone", "webchat", "wechat", "email", "portal"] as const;
export const ZChannel = z.enum(CHANNELS);
export type Channel = (typeof CHANNELS)[number];
