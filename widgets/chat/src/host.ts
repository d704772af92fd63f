/**
 * The widget's host element, kept on top of and apart from whatever the page does. A host page
 * may cover everything with a full-screen element at the maximum z-index, or scale, move or
 * filter `<body>`. The host is styled inline with `!important` from `all: initial` and lives in
 * the browser's top layer as a manual popover where the browser has one: above every z-index,
 * laid out against the viewport whatever its ancestors' transforms (it stays in `<body>`, where
 * assistive tools and checkers look for content). Without popovers it hangs off `<html>` (out
 * of reach of `<body>`'s transform) at the maximum z-index. If the page moves, restyles or hides
 * it, it is put back.
 */

const MAX_Z = "2147483647";

function hostStyle(fullPage: boolean): [string, string][] {
  return [
    ["all", "initial"],
    ["display", "block"],
    ["position", "fixed"],
    // embedded: a zero-size anchor (the launcher and panel position themselves against the
    // viewport inside it) so the page around the widget stays clickable; full page: everything
    ...(fullPage ? [["inset", "0"], ["width", "100%"], ["height", "100%"]] as [string, string][] : [["top", "0"], ["left", "0"], ["width", "0"], ["height", "0"]] as [string, string][]),
    ["margin", "0"],
    ["padding", "0"],
    ["border", "0"],
    ["overflow", "visible"],
    ["background", "transparent"],
    ["transform", "none"],
    ["filter", "none"],
    ["opacity", "1"],
    ["visibility", "visible"],
    ["pointer-events", "auto"],
    ["z-index", MAX_Z],
  ];
}

function canPopover(el: HTMLElement): boolean {
  return typeof el.showPopover === "function" && "popover" in el;
}

/** Creates the host (in the top layer, else on `<html>`) and keeps it there, on top, at its own size. */
export function pinnedHost(key: string, fullPage: boolean): HTMLElement {
  const host = document.createElement("div");
  host.setAttribute("data-yixian-chat", key);
  const popover = canPopover(host);
  // the page may replace <body>: the parent is looked up each time
  const parent = () => (popover ? (document.body ?? document.documentElement) : document.documentElement);
  if (popover) host.popover = "manual";
  for (const [name, value] of hostStyle(fullPage)) host.style.setProperty(name, value, "important");
  const style = host.getAttribute("style") ?? "";

  const raise = () => {
    if (host.parentNode !== parent()) parent().appendChild(host);
    if (host.getAttribute("style") !== style) host.setAttribute("style", style);
    if (popover && host.popover !== "manual") host.popover = "manual";
    if (popover && !host.matches(":popover-open")) {
      try {
        host.showPopover();
      } catch {
        // not connected yet, or the browser refused: the maximum z-index still applies
      }
    }
  };
  raise();
  const observer = new MutationObserver(raise);
  observer.observe(document.documentElement, { childList: true, subtree: popover });
  observer.observe(host, { attributes: true, attributeFilter: ["style", "popover"] });
  if (popover) host.addEventListener("toggle", raise);
  return host;
}
