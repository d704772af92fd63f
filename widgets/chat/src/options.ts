/** What the embedding page asked for, from the script tag's data attributes. */
export interface WidgetOptions {
  key: string;
  /** The server the script came from: the API and socket live there. */
  origin: string;
  lang: string | null;
  position: "right" | "left";
  /** #rgb / #rrggbb from data-colour; null: the widget's configured theme colour. */
  colour: string | null;
  openOnLoad: boolean;
  /** `page`: the full-screen H5 chat at /chat/{widgetKey}. */
  fullPage: boolean;
}

const COLOUR = /^#(?:[0-9a-f]{3}|[0-9a-f]{6})$/i;

/** Reads the options from a data-* map (dataset) and the script's own URL. */
export function parseOptions(data: Record<string, string | undefined>, scriptSrc: string, pageHref: string): WidgetOptions {
  const src = new URL(scriptSrc || pageHref, pageHref);
  const colour = data.colour ?? data.color ?? "";
  const truthy = (v: string | undefined) => v !== undefined && v !== "false" && v !== "0";
  return {
    key: (data.key ?? "").trim(),
    origin: src.origin,
    lang: data.lang?.trim() || null,
    position: data.position === "left" ? "left" : "right",
    colour: COLOUR.test(colour) ? colour : null,
    openOnLoad: truthy(data.open),
    fullPage: data.mode === "page",
  };
}
