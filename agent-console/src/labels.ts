import type { ConversationListItem } from "@yixian/contracts";
import type { Strings } from "./i18n.tsx";

/** Who the customer is, in the console's language: an unidentified visitor ("访客 1234" /
 * "Visitor 1234", named by the widget in the visitor's language) as "Web visitor 1234". */
export function contactLabel(contact: { name: string; anonymous: boolean } | null, t: Strings): string {
  if (!contact) return t.customer.unknown;
  if (!contact.anonymous) return contact.name;
  return t.customer.webVisitor(/(\d+)\s*$/.exec(contact.name)?.[1] ?? "");
}

/** A conversation's title: its subject, else what the customer first wrote, else "(no subject)". */
export function conversationTitle(c: Pick<ConversationListItem, "subject" | "firstMessage">, t: Strings): string {
  if (c.subject) return c.subject;
  const first = c.firstMessage?.replace(/\s+/g, " ").trim();
  return first ? `“${first.length > 60 ? `${first.slice(0, 60)}…` : first}”` : t.inbox.untitled;
}
