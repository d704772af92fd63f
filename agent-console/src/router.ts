import { useSyncExternalStore } from "react";

/** A tiny client-side router over the History API (the server answers every console path with
 * the page). Routes: `/`, `/conversations/:id`, `/tickets/:id`, `/contacts/:id`, `/supervisor`, `/calls`,
 * `/settings/widget`, `/settings/trunks`, `/settings/phone`. */

export type Route =
  | { name: "inbox" }
  | { name: "conversation"; id: string }
  | { name: "ticket"; id: string }
  | { name: "contact"; id: string }
  | { name: "supervisor" }
  | { name: "calls" }
  | { name: "widgetSettings" }
  | { name: "trunkSettings" }
  | { name: "phone" };

/** The pages that are one path each. */
const PAGES: Record<string, Route> = {
  "/supervisor": { name: "supervisor" },
  "/calls": { name: "calls" },
  "/settings/widget": { name: "widgetSettings" },
  "/settings/trunks": { name: "trunkSettings" },
  "/settings/phone": { name: "phone" },
};

const listeners = new Set<() => void>();
const notify = () => listeners.forEach((l) => l());
window.addEventListener("popstate", notify);

function subscribe(listener: () => void): () => void {
  listeners.add(listener);
  return () => listeners.delete(listener);
}

export function parseRoute(path: string): Route {
  const m = /^\/(conversations|tickets|contacts)\/([0-9a-f-]{36})$/.exec(path);
  const id = m?.[2];
  if (id && m[1] === "tickets") return { name: "ticket", id };
  if (id && m[1] === "contacts") return { name: "contact", id };
  if (id) return { name: "conversation", id };
  return PAGES[path] ?? { name: "inbox" };
}

export function navigate(path: string): void {
  if (path === location.pathname) return;
  history.pushState(null, "", path);
  notify();
}

export function useRoute(): Route {
  const path = useSyncExternalStore(subscribe, () => location.pathname);
  return parseRoute(path);
}
