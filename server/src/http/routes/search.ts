import type { AnyRoute } from "../route.ts";

export const searchRoutes: AnyRoute[] = [];
