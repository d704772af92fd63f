import type { AnyRoute } from "../route.ts";

export const customerRoutes: AnyRoute[] = [];
