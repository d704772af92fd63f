import type { AnyRoute } from "../route.ts";
import { attachmentRoutes } from "./attachments.ts";
import { authRoutes } from "./auth.ts";
import { conversationRoutes } from "./conversations.ts";
import { customerRoutes } from "./customers.ts";
import { searchRoutes } from "./search.ts";
import { ticketRoutes } from "./tickets.ts";
import { metricsRoutes } from "./metrics.ts";
import { routingRoutes } from "./routing.ts";
import { slaRoutes } from "./sla.ts";
import { userRoutes } from "./users.ts";
import { voiceRoutes } from "./voice.ts";
import { widgetRoutes } from "./widget.ts";
import { workspaceRoutes } from "./workspace.ts";

/** Every API route. The OpenAPI document and the tenant-isolation test are built from this list. */
export const allRoutes: AnyRoute[] = [
  ...authRoutes,
  ...userRoutes,
  ...customerRoutes,
  ...ticketRoutes,
  ...conversationRoutes,
  ...attachmentRoutes,
  ...searchRoutes,
  ...routingRoutes,
  ...slaRoutes,
  ...metricsRoutes,
  ...widgetRoutes,
  ...workspaceRoutes,
  ...voiceRoutes,
];
