import type { AnyRoute } from "../route.ts";

export const slaRoutes: AnyRoute[] = [];
