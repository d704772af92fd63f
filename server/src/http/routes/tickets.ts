import type { AnyRoute } from "../route.ts";

export const ticketRoutes: AnyRoute[] = [];
