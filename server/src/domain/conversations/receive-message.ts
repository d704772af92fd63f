import type { Channel, IdentityKind, Message } from "@yixian/contracts";
import type { Tx } from "../../db/database.ts";
import type { Row } from "../../db/schema.ts";
import type { Ctx } from "../context.ts";
import { appendMessage } from "./append-message.ts";
import { startConversation } from "./create-conversation.ts";

/** Who a customer's message is from: a known contact, or the identity they came by (found, or a new contact). */
export type InboundSender = { contactId: string } | { identity: { kind: IdentityKind; value: string } };

/** What a channel adapter hands the domain for every customer message (and for a bare start). */
export interface InboundMessage {
  channel: Channel;
  /** The channel account it came in on (widget key, mailbox, DID, official account): the entry point navigation rules match on. */
  account?: string | null | undefined;
  from: InboundSender;
  /**
   * The adapter's name for the conversation (a chat session, a mail thread, a call id), unique per
   * channel: a message goes to the conversation started under it, or starts one. The adapter owns
   * the format; a new thread after an ended one needs a new ref.
   */
  externalRef: string;
  /**
   * The adapter's own open conversation for this sender, when it already knows it (web chat has
   * it with the visitor's session): no look-up on the way in. Ignored when ended.
   */
  conversation?: Row<"conversations"> | null | undefined;
  /** The channel's own message id (WeChat MsgId, Message-ID): a retried delivery is stored once. */
  externalId?: string | null | undefined;
  /** The sender's own id for the message (the widget's): a retry is stored once. */
  clientId?: string | null | undefined;
  /** Empty with no attachments: start (or find) the conversation only. */
  text?: string | undefined;
  body?: Record<string, unknown> | null | undefined;
  attachmentIds?: readonly string[] | undefined;
  /** For a conversation this message starts. */
  /**
   * For a conversation this message starts. `route: false` starts it without queueing it: the
   * adapter asks first (a phone IVR's verification or menu) and queues it later
   * (`queueInboundCall`).
   */
  start?: { queueId?: string | null | undefined; subject?: string | undefined; language?: string | undefined; menuChoice?: string | undefined; route?: boolean | undefined } | undefined;
  /**
   * Runs in the transaction that starts the conversation (not when it was there already): what
   * the channel keeps about its sender learns of the conversation as it is committed (web chat:
   * the visitor's current conversation), before any subscriber hears of it.
   */
  onStart?: ((tx: Tx, conversation: Row<"conversations">) => Promise<void>) | undefined;
}

export interface Received {
  conversation: Row<"conversations">;
  /** True when this call started the conversation (and queued it for routing). */
  started: boolean;
  /** The stored message (the first one stored, for a retried delivery); null for a bare start. */
  message: Message | null;
}

/**
 * The one way in for every channel: finds the sender's conversation under the adapter's ref or
 * starts one (the customer identified by contact or identity, joined to their open ticket, one
 * problem one ticket, and queued for routing), then stores the message (before this resolves;
 * a retried clientId or externalId answers the message stored the first time).
 * With the adapter's open conversation given, a message costs what appendMessage costs, nothing more.
 */
export async function receiveMessage(ctx: Ctx, input: InboundMessage): Promise<Received> {
  const known = input.conversation && input.conversation.state !== "ended" ? input.conversation : null;
  const { conversation, started } = known
    ? { conversation: known, started: false }
    : await startConversation(
        ctx,
        {
          channel: input.channel,
          ...("contactId" in input.from ? { contactId: input.from.contactId } : { identity: input.from.identity }),
          subject: input.start?.subject ?? "",
          queueId: input.start?.queueId ?? null,
          externalRef: input.externalRef,
          entryPoint: input.account ?? undefined,
          menuChoice: input.start?.menuChoice,
          language: input.start?.language,
        },
        input.onStart,
        { route: input.start?.route ?? true },
      );
  const attachmentIds = input.attachmentIds ?? [];
  if (!input.text && attachmentIds.length === 0) return { conversation, started, message: null };
  const message = await appendMessage(ctx, {
    conversationId: conversation.id,
    direction: "inbound",
    text: input.text ?? "",
    rich: input.body,
    attachmentIds,
    clientId: input.clientId,
    externalId: input.externalId,
  });
  return { conversation, started, message };
}
