import type { VisitorChannel } from "@yixian/server/domain";

/**
 * Web chat as the widget's use-cases store it: channel `webchat`, and a conversation a visitor
 * starts named `widget:<visitor>:<their previous conversation, or "first">` (one start per visitor
 * and predecessor, however many tabs start at once). Only this adapter reads or writes the format.
 */
export const webchat: VisitorChannel = {
  channel: "webchat",
  externalRef: (visitorId, previous) => `widget:${visitorId}:${previous ?? "first"}`,
};
