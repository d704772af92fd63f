/**
 * The widget's host element, kept on top of and apart from whatever the page does. A host page
 * may cover everything with a full-screen element at the maximum z-index, or scale, move or
 * filter `<body>`; the host therefore hangs off `<html>` (not `<body>`), is styled inline with
 * `!important` from `all: initial`, and lives in the browser's top layer as a manual popover
 * where the browser has one (above every z-index, untouched by ancestors' transforms), else at
 * the maximum z-index. If the page moves, restyles or hides it, it is put back.
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

/** Creates the host on `<html>` and keeps it there, on top, at its own size. */
export function pinnedHost(key: string, fullPage: boolean): HTMLElement {
  const root = document.documentElement;
  const host = document.createElement("div");
  host.setAttribute("data-yixian-chat", key);
  const popover = canPopover(host);
  if (popover) host.popover = "manual";
  for (const [name, value] of hostStyle(fullPage)) host.style.setProperty(name, value, "important");
  const style = host.getAttribute("style") ?? "";

  const raise = () => {
    if (host.parentNode !== root) root.appendChild(host);
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
  observer.observe(root, { childList: true });
  observer.observe(host, { attributes: true, attributeFilter: ["style", "popover"] });
  if (popover) host.addEventListener("toggle", raise);
  return host;
}
