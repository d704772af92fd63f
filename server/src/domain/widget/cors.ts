import type { Row } from "../../db/schema.ts";
import { DomainError } from "../errors.ts";

/**
 * May a page of this origin use the widget? No Origin header (not a browser, or same-origin
 * GET), the server's own origin, or one of the widget's allowed origins. FORBIDDEN otherwise.
 */
export function checkWidgetOrigin(widget: Pick<Row<"widget_configs">, "allowed_origins">, origin: string | undefined, ownOrigins: readonly string[]): void {
  if (!origin) return;
  const normalised = origin.toLowerCase();
  if (ownOrigins.some((o) => o.toLowerCase() === normalised)) return;
  if (widget.allowed_origins.some((o) => o.toLowerCase() === normalised)) return;
  throw new DomainError("FORBIDDEN", `this widget may not be used from ${origin.slice(0, 200)}`);
}
