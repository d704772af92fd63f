import type { AnyRoute } from "../route.ts";

export const userRoutes: AnyRoute[] = [];
