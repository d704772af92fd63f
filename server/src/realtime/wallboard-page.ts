import { existsSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import express, { type Router } from "express";
import { errorBody } from "../edge/index.ts";

/** The built wallboard page (`npm run build`, which `npm start` runs first). */
export const WALLBOARD_DIST = fileURLToPath(new URL("../../../widgets/wallboard/dist", import.meta.url));

// The page loads only its own script and styles and talks only to this server.
const CSP = "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; connect-src 'self' ws: wss:; frame-ancestors 'none'; base-uri 'none'";

/**
 * Serves the wallboard page at /wallboard. The link token rides in the page's URL, so the page
 * sends no Referer anywhere and may not be framed.
 */
export function wallboardPage(dist = WALLBOARD_DIST): Router {
  const router = express.Router();
  router.use((_req, res, next) => {
    res.setHeader("Content-Security-Policy", CSP);
    res.setHeader("Referrer-Policy", "no-referrer");
    next();
  });
  router.use("/assets", express.static(join(dist, "assets"), { immutable: true, maxAge: "365d", index: false }));
  router.get(["/", "/index.html"], (_req, res) => {
    const index = join(dist, "index.html");
    if (!existsSync(index)) {
      res.status(503).json(errorBody("SERVICE_UNAVAILABLE", "the wallboard page is not built: run `npm run build`"));
      return;
    }
    res.setHeader("Cache-Control", "no-cache");
    res.sendFile(index);
  });
  router.use((req, res) => {
    res.status(404).json(errorBody("NOT_FOUND", `no wallboard file ${req.path}`));
  });
  return router;
}
