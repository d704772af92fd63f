import type { LocalisedText, PreChatFormConfig, WidgetConfig, WidgetLocale, WidgetTheme } from "@yixian/contracts";
import type { Row } from "../../db/schema.ts";
import { isoRequired } from "../shared/pagination.ts";

export function presentWidgetConfig(row: Row<"widget_configs">): WidgetConfig {
  return {
    id: row.id,
    publicKey: row.public_key,
    name: row.name,
    enabled: row.enabled,
    allowedOrigins: row.allowed_origins,
    preChatForm: row.pre_chat_form as PreChatFormConfig,
    greeting: row.greeting as LocalisedText,
    offlineMessage: row.offline_message as LocalisedText,
    defaultQueueId: row.default_queue_id,
    entryPoint: row.entry_point,
    calendarId: row.calendar_id,
    theme: row.theme as WidgetTheme,
    locale: row.locale as WidgetLocale,
    createdAt: isoRequired(row.created_at),
    updatedAt: isoRequired(row.updated_at),
  };
}
