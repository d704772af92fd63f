import compression from "compression";
import express, { type Express, type RequestHandler } from "express";
import type { Deps } from "../domain/context.ts";
import { errorBody } from "../edge/index.ts";
import { errorHandler } from "./errors.ts";
import { expressPath, mountRoutes } from "./mount.ts";
import { buildOpenApi } from "./openapi.ts";
import type { AnyRoute } from "./route.ts";
import { allRoutes } from "./routes/index.ts";
import { wallboardPage } from "../realtime/wallboard-page.ts";
import { widgetAssets } from "./widget-assets.ts";
import { consolePage } from "./console-page.ts";
import { bodyTypeGuard, jsonBody, refuseNul } from "./request-body.ts";

export const API_VERSION = "0.1.0";

export interface AppState {
  ready: boolean;
}

/** The express app: JSON API under /api, the OpenAPI document, coded errors everywhere. */
/** What channel adapters add to the app, handed in by the composition root (server.ts). */
export interface AppChannels {
  /** Their API routes: documented, guarded and mounted like the server's own. */
  routes: AnyRoute[];
  /** CORS of their public paths under /api, in front of the API (web chat: /widget, the pages a widget is allowed on). */
  cors: { path: string; handler: RequestHandler }[];
}

export function createApp(deps: Deps, state: AppState, channels: AppChannels = { routes: [], cors: [] }): Express {
  const routes = [...allRoutes, ...channels.routes];
  const app = express();
  app.disable("x-powered-by");
  app.set("trust proxy", "loopback");
  // br or gzip, whichever the client accepts (the widget script: 97 KB → ~30 KB); brotli at
  // quality 4 costs about what gzip does, so answers are compressed as they are sent. A request
  // without Accept-Encoding (an integration's client) is answered as it is without the
  // middleware's wrapping and negotiation, which would choose identity anyway.
  const compress = compression({ threshold: 1024 });
  app.use((req, res, next) => {
    if (req.headers["accept-encoding"] === undefined) next();
    else compress(req, res, next);
  });
  app.use((_req, res, next) => {
    res.setHeader("X-Content-Type-Options", "nosniff");
    res.setHeader("Referrer-Policy", "same-origin");
    next();
  });

  const openapi = buildOpenApi(routes, { version: API_VERSION });
  app.get("/api/openapi.json", (_req, res) => {
    res.json(openapi);
  });
  app.get("/api/health", (_req, res) => {
    if (!state.ready) {
      res.status(503).json(errorBody("SERVICE_UNAVAILABLE", "starting"));
      return;
    }
    res.json({ status: "ok", database: deps.dbKind });
  });

  const api = express.Router();
  // client mistakes are coded 4xx before any handler: a body of another type than the route
  // reads (415), an unreadable or compressed-bomb body, NUL anywhere in path, query or body
  for (const route of routes) api[route.method](expressPath(route.path), bodyTypeGuard(route));
  api.use(jsonBody(1024 * 1024));
  api.use(refuseNul);
  mountRoutes(api, deps, routes);
  api.use((req, res) => {
    res.status(404).json(errorBody("NOT_FOUND", `no route ${req.method} /api${req.path}`));
  });
  // channels' public endpoints answer pages on other sites (web chat: the pages its widgets allow)
  for (const cors of channels.cors) app.use(`/api${cors.path}`, cors.handler);
  app.use("/api", api);
  app.use("/wallboard", wallboardPage());
  app.use(widgetAssets());
  app.use(consolePage());
  app.use(errorHandler(deps.log));
  return app;
}
