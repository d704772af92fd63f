import type { CallbackOutcome, WorkKind } from "@yixian/contracts";
import type { Widen } from "./i18n-widen.ts";

/**
 * Voicemail and call-back work (what a caller left in the phone menu): the offer's texts and the
 * card the agent finishes it on; spread into the dictionaries of i18n.tsx.
 */
export const callerWorkZh = {
  work: {
    offerTitles: { contact: "新会话", call: "新来电", voicemail: "新的语音留言", callback: "新的回拨请求" } satisfies Record<WorkKind | "call", string>,
    badges: { call: "来电", voicemail: "语音留言", callback: "回拨请求" },
    leftAt: (when: string) => `留言时间 ${when}`,
    askedAt: (when: string) => `申请时间 ${when}`,
    numberWithheld: "号码未显示",
    listen: "收听留言",
    title: "待处理的留言与回拨",
    intro: "你接下的语音留言和回拨请求。处理完后选择结果并点“完成”，才会释放你的通话容量。",
    queue: "队列",
    ticket: "工单",
    callBack: "回拨",
    callBackNumber: (number: string) => `回拨 ${number}`,
    outcome: "处理结果",
    outcomes: { reached: "已联系上客户", no_answer: "无人接听", wrong_number: "号码有误", handled: "已处理，无需回电" } satisfies Record<CallbackOutcome, string>,
    note: "备注（选填）",
    done: "完成",
    doneLabel: (number: string) => `完成 ${number}`,
    failed: "操作失败：",
    tryOf: (n: number, max: number) => `第 ${n} 次回拨未接通（最多 ${max} 次）`,
    nextTry: (when: string) => `${when} 再次回拨`,
    tryNow: (n: number, max: number) => `第 ${n} 次回拨（最多 ${max} 次，前 ${n - 1} 次未接通）`,
  },
};

export const callerWorkEn: Widen<typeof callerWorkZh> = {
  work: {
    offerTitles: { contact: "New conversation", call: "New call", voicemail: "New voicemail", callback: "New call-back request" },
    badges: { call: "Incoming call", voicemail: "Voicemail", callback: "Call-back request" },
    leftAt: (when: string) => `Left at ${when}`,
    askedAt: (when: string) => `Asked at ${when}`,
    numberWithheld: "Number withheld",
    listen: "Listen to the voicemail",
    title: "Voicemails and call-backs to handle",
    intro: "Voicemails and call-back requests you accepted. Choose the outcome and press Done when handled: only then is your call capacity free.",
    queue: "Queue",
    ticket: "Ticket",
    callBack: "Call back",
    callBackNumber: (number: string) => `Call back ${number}`,
    outcome: "Outcome",
    outcomes: { reached: "Reached the customer", no_answer: "No answer", wrong_number: "Wrong number", handled: "Handled, no call needed" },
    note: "Note (optional)",
    done: "Done",
    doneLabel: (number: string) => `Done: ${number}`,
    failed: "Could not do that: ",
    tryOf: (n: number, max: number) => `try ${n} of ${max} unanswered`,
    nextTry: (when: string) => `next try at ${when}`,
    tryNow: (n: number, max: number) => `Try ${n} of ${max} (${n - 1} unanswered)`,
  },
};
