import type { ConversationListItem } from "@yixian/contracts";
import type { Strings } from "./i18n.tsx";

/** Who the customer is, in the console's language: an unidentified visitor ("访客 1234" /
 * "Visitor 1234", named by the widget in the visitor's language) as "Web visitor 1234". */
export function contactLabel(contact: { name: string; anonymous: boolean } | null, t: Strings): string {
  if (!contact) return t.customer.unknown;
  if (!contact.anonymous) return contact.name;
  return t.customer.webVisitor(/(\d+)\s*$/.exec(contact.name)?.[1] ?? "");
}

/** A phone number as people read it: a mainland mobile (+86 1xx) in groups, 138 0013 8000. */
export function phoneLabel(number: string): string {
  const mobile = /^(?:\+86)?(1\d{2})(\d{4})(\d{4})$/.exec(number);
  return mobile ? `${mobile[1]} ${mobile[2]} ${mobile[3]}` : number;
}

/**
 * A conversation's title: its subject, else what the customer first wrote, else for a phone call
 * which way and the number ("来电 138 0013 8000"), else "(no subject)".
 */
export function conversationTitle(c: Pick<ConversationListItem, "subject" | "firstMessage"> & { call?: ConversationListItem["call"] }, t: Strings): string {
  if (c.subject) return c.subject;
  const first = c.firstMessage?.replace(/\s+/g, " ").trim();
  if (first) return `“${first.length > 60 ? `${first.slice(0, 60)}…` : first}”`;
  if (c.call) return t.inbox.call(c.call.direction, c.call.number ? phoneLabel(c.call.number) : null);
  return t.inbox.untitled;
}
