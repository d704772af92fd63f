import type { AnyRoute } from "../route.ts";

export const widgetRoutes: AnyRoute[] = [];
