import type { Channel, Media } from "@yixian/contracts";

/** What an item of each channel counts against: calls are voice; chats and WeChat are chat; e-mail and portal tickets are e-mail. */
export function mediaOf(channel: Channel): Media {
  switch (channel) {
    case "phone":
      return "voice";
    case "webchat":
    case "wechat":
      return "chat";
    case "email":
    case "portal":
      return "email";
  }
}
