import { fileURLToPath } from "node:url";
import { defineConfig, type Plugin } from "vite";

/**
 * Host pages may serve the script (or themselves) without a charset: the widget's Chinese texts,
 * emoji and symbols are written as \u escapes so the script is plain ASCII and reads right anywhere.
 */
function asciiOnly(): Plugin {
  return {
    name: "yixian-ascii-only",
    enforce: "post",
    generateBundle(_options, bundle) {
      for (const file of Object.values(bundle)) {
        if (file.type === "chunk") file.code = file.code.replace(/[^\t\n\r\x20-\x7e]/g, (ch) => `\\u${ch.charCodeAt(0).toString(16).padStart(4, "0")}`);
      }
    },
  };
}

// One self-contained script (styles inlined into the shadow root), served by the server at
// /widget.js and used by the full-page chat at /chat/{widgetKey} (server/src/http/widget-assets.ts).
export default defineConfig({
  root: fileURLToPath(new URL(".", import.meta.url)),
  plugins: [asciiOnly()],
  define: { "process.env.NODE_ENV": JSON.stringify("production") },
  build: {
    outDir: "dist",
    emptyOutDir: true,
    target: "es2020",
    reportCompressedSize: false,
    lib: {
      entry: fileURLToPath(new URL("src/main.tsx", import.meta.url)),
      formats: ["iife"],
      name: "YixianChat",
      fileName: () => "widget.js",
    },
  },
});
