import type { AnyRoute } from "../route.ts";

export const metricsRoutes: AnyRoute[] = [];
