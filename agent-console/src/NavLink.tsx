import type { ReactNode } from "react";
import { navigate, useRoute, type Route } from "./router.ts";

/**
 * A link to one of the console's pages: a real link (opens in a new tab with a modifier key),
 * routed in place on a plain click, and marked `aria-current="page"` while that page is shown.
 */
export function NavLink({ href, route, nav, children }: { href: string; route: Route["name"]; nav: string; children: ReactNode }) {
  const current = useRoute().name === route;
  return (
    <a
      className="nav-link"
      href={href}
      data-nav={nav}
      aria-current={current ? "page" : undefined}
      onClick={(e) => {
        if (e.button !== 0 || e.metaKey || e.ctrlKey || e.shiftKey || e.altKey) return;
        e.preventDefault();
        navigate(href);
      }}
    >
      {children}
    </a>
  );
}
