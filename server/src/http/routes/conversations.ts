import type { AnyRoute } from "../route.ts";

export const conversationRoutes: AnyRoute[] = [];
