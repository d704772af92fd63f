import type { AnyRoute } from "../route.ts";

export const workspaceRoutes: AnyRoute[] = [];
