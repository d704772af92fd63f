import type { AnyRoute } from "../route.ts";

export const routingRoutes: AnyRoute[] = [];
