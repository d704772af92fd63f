import type { AgentMetrics } from "@yixian/contracts";

export type Lang = "zh" | "en";
type State = AgentMetrics["state"];

export interface Strings {
  title: string;
  waiting: string;
  longestWait: string;
  serviceLevel: string;
  withinT: (seconds: number) => string;
  asa: string;
  aht: string;
  abandonRate: string;
  interval: (from: string, to: string) => string;
  answered: (n: number) => string;
  abandoned: (n: number) => string;
  handled: (n: number) => string;
  agents: string;
  handledToday: string;
  /** An agent whose console lost its connection, during the grace period. */
  reconnecting: string;
  states: Record<State, string>;
  connection: Record<"connecting" | "live" | "reconnecting" | "offline", string>;
  linkInvalid: string;
  signIn: string;
  forbidden: string;
  loadFailed: string;
  noQueues: string;
  noAgents: string;
  switchTo: string;
}

const zh: Strings = {
  title: "实时监控墙",
  waiting: "排队中",
  longestWait: "最长等待",
  serviceLevel: "服务水平",
  withinT: (s) => `${s}秒内接起`,
  asa: "平均应答",
  aht: "平均处理",
  abandonRate: "放弃率",
  interval: (from, to) => `本时段 ${from}–${to}`,
  answered: (n) => `接起 ${n}`,
  abandoned: (n) => `放弃 ${n}`,
  handled: (n) => `处理完 ${n}`,
  agents: "坐席",
  handledToday: "今日处理",
  reconnecting: "断线重连中",
  states: { available: "空闲", busy: "忙碌", wrap_up: "话后处理", away: "暂离", offline: "离线" },
  connection: { connecting: "连接中…", live: "实时", reconnecting: "重新连接中…", offline: "已断开" },
  linkInvalid: "此监控墙链接已过期或已被撤销，请向主管索取新链接。",
  signIn: "请先登录坐席控制台，或用主管分享的监控墙链接打开。",
  forbidden: "您的角色无权查看队列监控。",
  loadFailed: "暂时无法读取数据，正在重试…",
  noQueues: "还没有可显示的队列。",
  noAgents: "这些队列还没有坐席。",
  switchTo: "English",
};

const en: Strings = {
  title: "Live wallboard",
  waiting: "Waiting",
  longestWait: "Longest wait",
  serviceLevel: "Service level",
  withinT: (s) => `answered within ${s}s`,
  asa: "Avg. answer",
  aht: "Avg. handle",
  abandonRate: "Abandoned",
  interval: (from, to) => `This interval ${from}–${to}`,
  answered: (n) => `${n} answered`,
  abandoned: (n) => `${n} abandoned`,
  handled: (n) => `${n} handled`,
  agents: "Agents",
  handledToday: "Handled today",
  reconnecting: "Reconnecting",
  states: { available: "Available", busy: "Busy", wrap_up: "Wrap-up", away: "Away", offline: "Offline" },
  connection: { connecting: "Connecting…", live: "Live", reconnecting: "Reconnecting…", offline: "Disconnected" },
  linkInvalid: "This wallboard link has expired or was revoked. Ask a supervisor for a new one.",
  signIn: "Sign in to the agent console first, or open a wallboard link a supervisor shared.",
  forbidden: "Your role may not view queue metrics.",
  loadFailed: "Cannot read the numbers right now; retrying…",
  noQueues: "No queues to show yet.",
  noAgents: "No agents in these queues yet.",
  switchTo: "中文",
};

export const STRINGS: Record<Lang, Strings> = { zh, en };

/** zh-CN, zh-TW, zh → zh; en, en-GB → en; anything else → null. */
export function langOf(value: string | null | undefined): Lang | null {
  if (!value) return null;
  const v = value.toLowerCase();
  if (v.startsWith("zh")) return "zh";
  if (v.startsWith("en")) return "en";
  return null;
}

/** ?lang= wins, then the tenant's locale, then the browser's, then Chinese. */
export function pickLang(query: string | null, tenantLocale: string | null, browser: string | null): Lang {
  return langOf(query) ?? langOf(tenantLocale) ?? langOf(browser) ?? "zh";
}
