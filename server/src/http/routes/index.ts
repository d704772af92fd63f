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
import { voicePromptRoutes } from "./voice-prompts.ts";
import { voiceRoutes } from "./voice.ts";
import { widgetConfigRoutes } from "./widget-configs.ts";
import { workspaceRoutes } from "./workspace.ts";

/** Every API route of the server itself; channel adapters add theirs at the composition root (server.ts). createApp builds the OpenAPI document from both. */
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
  ...widgetConfigRoutes,
  ...workspaceRoutes,
  ...voiceRoutes,
  ...voicePromptRoutes,
];
