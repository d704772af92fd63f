import type { Widen } from "./i18n-widen.ts";

/** Texts of the phone's security and reachability: whether agents can be rung, trunks' registration with their provider. */
export const trunksZh = {
  phoneReach: {
    column: "话机",
    registered: "已注册",
    none: "未注册，不分配来电",
  },
} as const;

export const trunksEn: Widen<typeof trunksZh> = {
  phoneReach: {
    column: "Phone",
    registered: "Registered",
    none: "Not registered: no calls offered",
  },
};
