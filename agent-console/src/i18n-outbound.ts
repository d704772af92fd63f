import type { Widen } from "./i18n-widen.ts";

/** Texts of the admin's outbound limits (on the phone trunks page). */
export const outboundZh = {
  outboundLimits: {
    title: "外呼限制",
    intro: "坐席用软电话或话机外呼时，只能拨打这里允许的号码；其他号码会被拒绝，并记入通话记录。按本租户的默认国家判断国内与国际。",
    national: "国内固话及其他国内号码（含 400/800）",
    mobile: "国内手机号码",
    international: "国际号码",
    internationalWarning: "开启国际外呼有盗打风险：请确认中继和坐席账号都已妥善保护。",
    deniedPrefixes: "禁止拨打的号码前缀",
    deniedHint: "每行一个，以 + 和国家代码开头，例如 +86168（声讯台）。",
    badPrefix: (line: string) => `“${line}”不是号码前缀：请以 + 开头，后面只写数字。`,
    save: "保存外呼限制",
    saved: "外呼限制已保存。",
    failed: "保存失败：",
  },
} as const;

export const outboundEn: Widen<typeof outboundZh> = {
  outboundLimits: {
    title: "Outbound call limits",
    intro: "Agents calling out from the softphone or a desk phone can dial only the numbers allowed here; any other number is refused and kept in the call records. National and international are judged by this tenant's default country.",
    national: "Fixed lines and other national numbers (400/800 included)",
    mobile: "National mobile numbers",
    international: "International numbers",
    internationalWarning: "International calls invite toll fraud: make sure the trunk and the agents' accounts are well protected.",
    deniedPrefixes: "Number prefixes never dialled",
    deniedHint: "One a line, starting with + and the country code, such as +86168 (premium-rate lines).",
    badPrefix: (line) => `"${line}" is not a number prefix: start it with + and write digits only.`,
    save: "Save outbound limits",
    saved: "Outbound limits saved.",
    failed: "Could not save: ",
  },
};
