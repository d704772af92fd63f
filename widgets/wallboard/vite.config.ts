import { fileURLToPath } from "node:url";
import react from "@vitejs/plugin-react";
import { defineConfig } from "vite";

// The server serves the built page at /wallboard (server/src/realtime/wallboard-page.ts).
export default defineConfig({
  root: fileURLToPath(new URL(".", import.meta.url)),
  base: "/wallboard/",
  plugins: [react()],
  build: {
    outDir: "dist",
    emptyOutDir: true,
    // the page runs on office TVs and phones: modern browsers, small bundle
    target: "es2022",
    reportCompressedSize: false,
  },
  server: {
    // `npm run dev -w widgets` beside `npm start`: the API and sockets come from the server
    proxy: { "/api": "http://localhost:3000", "/socket.io": { target: "http://localhost:3000", ws: true } },
  },
});
