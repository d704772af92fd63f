/** @jsxImportSource preact */
import { render } from "preact";
import { ChatClient } from "./client.ts";
import { pinnedHost } from "./host.ts";
import { browserStore } from "./identity.ts";
import { parseOptions } from "./options.ts";
import styles from "./styles.css?inline";
import { Widget } from "./Widget.tsx";

/**
 * `<script src="https://host/widget.js" data-key="wk_…" async></script>`: mounts the widget in a
 * shadow root on its own host element (see host.ts), so the page's styles cannot reach it. The same script
 * with data-mode="page" is the full-page H5 chat at /chat/{widgetKey}.
 */
function findScript(): HTMLScriptElement | null {
  const current = document.currentScript;
  if (current instanceof HTMLScriptElement && current.dataset.key) return current;
  return document.querySelector<HTMLScriptElement>("script[data-key][src*='widget.js']:not([data-yx-mounted])");
}

function mount(script: HTMLScriptElement): void {
  script.dataset.yxMounted = "1";
  const options = parseOptions({ ...script.dataset }, script.src, location.href);
  if (!options.key) return;
  const host = pinnedHost(options.key, options.fullPage);
  const shadow = host.attachShadow({ mode: "open" });
  const style = document.createElement("style");
  style.textContent = styles;
  shadow.appendChild(style);
  const root = document.createElement("div");
  shadow.appendChild(root);

  const client = new ChatClient(options.origin, options.key, browserStore(window), options.lang ?? navigator.language, location.href);
  render(<Widget client={client} options={options} browserLangs={navigator.languages ?? [navigator.language]} />, root);
  client.start().catch(() => undefined);
  window.addEventListener("offline", () => client.networkLost());
  window.addEventListener("online", () => client.networkBack());
}

const script = findScript();
if (script) {
  if (document.body) mount(script);
  else document.addEventListener("DOMContentLoaded", () => mount(script), { once: true });
}
