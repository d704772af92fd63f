import { existsSync } from "node:fs";
import { fileURLToPath } from "node:url";
import express, { type Response, type Router } from "express";
import { errorBody } from "../edge/index.ts";

/** The built chat widget (`npm run build`, which `npm start` runs first). */
export const WIDGET_SCRIPT = fileURLToPath(new URL("../../../widgets/chat/dist/widget.js", import.meta.url));

const KEY = /^[A-Za-z0-9_-]{1,100}$/;
const LANGS = new Set(["zh-CN", "en"]);

// The H5 page runs only the widget script; the widget puts its styles in a <style> of its shadow
// root (hence 'unsafe-inline' for styles) and shows images the visitor picked (blob:) or stored.
const PAGE_CSP = "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data: blob:; connect-src 'self' ws: wss:; base-uri 'none'; form-action 'none'";

function notBuilt(res: Response): void {
  res.status(503).json(errorBody("SERVICE_UNAVAILABLE", "the chat widget is not built: run `npm run build`"));
}

/** The full-page chat: the same script as embedded, told to fill the page. */
export function chatPageHtml(widgetKey: string, lang: string | null): string {
  const langAttr = lang ? ` data-lang="${lang}"` : "";
  return `<!doctype html>
<html lang="${lang ?? "zh-CN"}">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1, viewport-fit=cover">
<meta name="referrer" content="no-referrer">
<title>在线客服 · Chat</title>
</head>
<body style="margin:0">
<script src="/widget.js" data-key="${widgetKey}" data-mode="page"${langAttr} async></script>
<noscript>请启用 JavaScript 以使用在线客服。Please enable JavaScript to chat with us.</noscript>
</body>
</html>
`;
}

/**
 * `/widget.js` — the embeddable chat widget, loaded by customers' web pages on any origin — and
 * `/chat/{widgetKey}` — the full-page H5 chat for links and phones (`?lang=zh-CN|en`).
 */
export function widgetAssets(script = WIDGET_SCRIPT): Router {
  const router = express.Router();
  router.get("/widget.js", (_req, res) => {
    if (!existsSync(script)) return notBuilt(res);
    // a fixed name that pages embed: revalidated on every load (a 304 by its ETag), so a new
    // version reaches every site at once
    res.setHeader("Cache-Control", "public, no-cache");
    res.setHeader("Cross-Origin-Resource-Policy", "cross-origin");
    res.setHeader("Access-Control-Allow-Origin", "*");
    res.type("application/javascript; charset=utf-8");
    res.sendFile(script);
  });
  router.get("/chat/:widgetKey", (req, res) => {
    const key = req.params.widgetKey;
    if (!KEY.test(key)) {
      res.status(404).json(errorBody("NOT_FOUND", "no such chat"));
      return;
    }
    if (!existsSync(script)) return notBuilt(res);
    const lang = typeof req.query.lang === "string" && LANGS.has(req.query.lang) ? req.query.lang : null;
    res.setHeader("Content-Security-Policy", PAGE_CSP);
    res.setHeader("Referrer-Policy", "no-referrer");
    res.setHeader("Cache-Control", "no-cache");
    res.type("html").send(chatPageHtml(key, lang));
  });
  return router;
}
