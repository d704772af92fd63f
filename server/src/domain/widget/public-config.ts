import type { Channel, LocalisedText, PreChatFormConfig, WidgetLocale, WidgetPublicConfig, WidgetTheme, WidgetUploadLimits } from "@yixian/contracts";
import type { Executor } from "../../db/database.ts";
import type { Row } from "../../db/schema.ts";
import { isOpen } from "../business-hours/index.ts";
import { extensionsFor } from "../attachments/sniff.ts";
import type { Config } from "../../config.ts";
import type { Deps } from "../context.ts";
import { routeAvailability } from "../routing/route-availability.ts";
import { widgetByKey } from "./visitor-context.ts";

/**
 * Within business hours (the widget's calendar, then the calendar of the queue that would serve
 * the chat), and whether a chat started now would be offered to an agent at once:
 * asked of routing itself (its queue choice and its eligibility for chats), so a busy agent with
 * a free chat slot counts and one at their chat capacity does not.
 */
export async function availability(db: Executor, widget: Row<"widget_configs">, channel: Channel, now: Date): Promise<{ open: boolean; available: boolean }> {
  const calendar = widget.calendar_id
    ? await db.selectFrom("calendars").selectAll().where("tenant_id", "=", widget.tenant_id).where("id", "=", widget.calendar_id).executeTakeFirst()
    : null;
  const open = isOpen(calendar ?? null, now);
  if (!open) return { open, available: false };
  return routeAvailability(db, widget.tenant_id, { channel, entryPoint: widget.entry_point, queueId: widget.default_queue_id }, now);
}

/**
 * What uploadAttachment enforces, from the same config: the widget refuses a file before
 * uploading it, with the real limit in its message. The server checks again (and sniffs).
 */
export function uploadLimits(config: Pick<Config, "maxUploadBytes" | "allowedUploadTypes">): WidgetUploadLimits {
  const types = [...new Set(config.allowedUploadTypes.map((t) => t.toLowerCase()))];
  return { maxBytes: config.maxUploadBytes, types, extensions: extensionsFor(types) };
}

/** What the widget needs to render: looks, texts, form, availability (of a chat on the adapter's channel) and upload limits. No secrets. */
export async function publicWidgetConfig(deps: Deps, channel: Channel, widgetKey: string): Promise<WidgetPublicConfig> {
  const widget = await widgetByKey(deps.db, widgetKey);
  const { open, available } = await availability(deps.db, widget, channel, deps.clock.now());
  return {
    widgetKey: widget.public_key,
    theme: widget.theme as WidgetTheme,
    locale: widget.locale as WidgetLocale,
    greeting: widget.greeting as LocalisedText,
    offlineMessage: widget.offline_message as LocalisedText,
    preChatForm: widget.pre_chat_form as PreChatFormConfig,
    open,
    available,
    uploads: uploadLimits(deps.config),
  };
}
