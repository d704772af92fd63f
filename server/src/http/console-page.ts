import { existsSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import express, { type Router } from "express";
import { errorBody } from "../edge/index.ts";

/** The built agent console (`npm run build`, which `npm start` runs first). */
export const CONSOLE_DIST = fileURLToPath(new URL("../../../agent-console/dist", import.meta.url));

// The console loads only its own script and styles, and talks only to this server (the API,
// the socket and attachment downloads shown as images).
const CSP = "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data: blob:; media-src 'self' blob:; connect-src 'self' ws: wss:; frame-ancestors 'none'; base-uri 'none'; form-action 'self'";

/** Paths that belong to someone else (the API, sockets, the wallboard, the chat widget's files):
 * never answered with the console page. */
const NOT_CONSOLE = /^\/(api|socket\.io|wallboard|widget|widgets|chat)(\/|$)|^\/widget\.js$/;

/**
 * Serves the agent console at /: its hashed assets, and its page for every other GET that asks
 * for HTML (a client-side route such as /conversations/:id survives a reload).
 */
export function consolePage(dist = CONSOLE_DIST): Router {
  const router = express.Router();
  router.use("/assets", express.static(join(dist, "assets"), { immutable: true, maxAge: "365d", index: false }));
  router.use("/assets", (req, res) => {
    res.status(404).json(errorBody("NOT_FOUND", `no console file /assets${req.path}`));
  });
  router.get(/.*/, (req, res, next) => {
    if (NOT_CONSOLE.test(req.path) || !req.accepts("html")) {
      next();
      return;
    }
    const index = join(dist, "index.html");
    if (!existsSync(index)) {
      res.status(503).json(errorBody("SERVICE_UNAVAILABLE", "the agent console is not built: run `npm run build`"));
      return;
    }
    res.setHeader("Content-Security-Policy", CSP);
    res.setHeader("Cache-Control", "no-cache");
    res.sendFile(index);
  });
  return router;
}
