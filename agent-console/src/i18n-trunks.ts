import type { Widen } from "./i18n-widen.ts";

/** Texts of the phone's security and reachability: whether agents can be rung, trunks' registration with their provider. */
export const trunksZh = {
  phoneReach: {
    column: "话机",
    registered: "已注册",
    none: "未注册，不分配来电",
  },
  trunkRegistration: {
    label: "注册状态",
    registered: "已注册",
    failing: "注册失败",
    off: "未注册",
    until: (time: string) => `有效至 ${time}`,
    since: (time: string) => `自 ${time}`,
    why: (reason: string) => `原因：${reason}`,
    pending: "尚未注册（服务器正在处理）",
  },
} as const;

export const trunksEn: Widen<typeof trunksZh> = {
  phoneReach: {
    column: "Phone",
    registered: "Registered",
    none: "Not registered: no calls offered",
  },
  trunkRegistration: {
    label: "Registration",
    registered: "Registered",
    failing: "Failing",
    off: "Not registered",
    until: (time: string) => `until ${time}`,
    since: (time: string) => `since ${time}`,
    why: (reason: string) => `Reason: ${reason}`,
    pending: "Not registered yet (the server is on it)",
  },
};
