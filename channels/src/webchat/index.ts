/**
 * Web chat, the first channel adapter: the widget's public routes (under /api/widget, with their
 * CORS), the visitor's socket.io namespace (/visitor), its outbound port (an agent's reply relayed
 * to the visitor's tabs) and the queue places it tells. The composition root (server/src/server.ts)
 * adds the routes to the API and attaches the namespace; the adapter reaches the server only
 * through `@yixian/server/domain`, `@yixian/server/edge` and `@yixian/server/http`.
 */
export { webchat } from "./channel.ts";
export { webchatRoutes, widgetCors } from "./routes.ts";
export { attachVisitorNamespace, VISITOR_NAMESPACE, type AgentSocketServer } from "./visitor-namespace.ts";
