// After `vite build --config chat/vite.config.ts`: the widget's size as a browser downloads it
// (gzip -9), checked against the 60 KB budget (docs/decisions/0008-widget-preact.md).
import { readFileSync } from "node:fs";
import { gzipSync } from "node:zlib";

const BUDGET = 60 * 1024;
const file = new URL("../dist/widget.js", import.meta.url);
const raw = readFileSync(file);
const gzip = gzipSync(raw, { level: 9 }).length;
process.stdout.write(`widget.js: ${raw.length} bytes, ${gzip} bytes gzipped (budget ${BUDGET})\n`);
process.stdout.write(`RESULT widget-size gzip_bytes=${gzip}\n`);
if (gzip > BUDGET) {
  process.stderr.write(`the chat widget is over its size budget: ${gzip} > ${BUDGET} bytes gzipped\n`);
  process.exit(1);
}
