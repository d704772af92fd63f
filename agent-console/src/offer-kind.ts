import type { OfferEvent } from "@yixian/contracts";
import type { Strings } from "./i18n.tsx";

type OfferKindOf = Pick<OfferEvent, "kind" | "channel">;

/** What kind of work an offer is, as its badge says: a call coming in, a chat or e-mail (its channel), a voicemail or a call-back. */
export function offerKindLabel(t: Strings, offer: OfferKindOf): string {
  switch (offer.kind) {
    case "contact":
      return offer.channel === "phone" ? t.work.badges.call : t.channels[offer.channel];
    case "voicemail":
    case "callback":
      return t.work.badges[offer.kind];
  }
}

/** The offer card's name for screen readers: new work of that kind. */
export function offerTitle(t: Strings, offer: OfferKindOf): string {
  return offer.kind === "contact" && offer.channel === "phone" ? t.work.offerTitles.call : t.work.offerTitles[offer.kind];
}
