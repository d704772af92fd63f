import type { AnyRoute } from "../route.ts";

export const attachmentRoutes: AnyRoute[] = [];
