export type Lang = "zh-CN" | "en";

const zh = {
  open: "在线客服",
  close: "关闭",
  title: "在线咨询",
  start: "开始咨询",
  name: "姓名",
  phone: "手机号",
  company: "公司",
  code: "验证码",
  required: "请填写{field}",
  badPhone: "请输入有效的手机号",
  badContact: "请输入有效的手机号或邮箱",
  tooLong: "{field}太长了",
  placeholder: "输入消息…",
  send: "发送",
  emoji: "表情",
  attach: "发送图片或文件",
  fileTooBig: "文件超过 {max}，无法发送",
  fileType: "不支持此文件类型",
  fileLimits: "图片或文件，最大 {max}",
  sending: "发送中",
  sent: "已发送",
  delivered: "已送达",
  read: "已读",
  failed: "发送失败，将自动重试",
  typing: "{name}正在输入…",
  agent: "客服",
  queued: "正在为您转接客服，前面还有 {n} 位",
  queuedNoPos: "正在为您转接客服，请稍候",
  joined: "{name}已加入对话",
  transferred: "对话已转接给{name}",
  ended: "对话已结束",
  offline: "连接已断开，正在重新连接…",
  leaveTitle: "留言",
  leaveIntro: "现在没有客服在线。请留言，我们会尽快回复您。",
  contact: "手机号或邮箱",
  message: "留言内容",
  submit: "提交",
  leaveDone: "留言已提交。",
  rateTitle: "请为本次服务评分",
  star: "{n} 星",
  stars: "{n} 星",
  comment: "意见或建议（选填）",
  rateDone: "感谢您的评价！",
  unavailable: "在线客服暂不可用，请稍后再试。",
  retry: "重试",
  newChat: "开始新的咨询",
  unread: "{n} 条新消息",
  fileTypeList: "不支持此文件类型。可发送：{list}",
  uploadBusy: "发送太频繁，请稍后再试",
  uploadFailed: "文件上传失败，请重试",
  retryIn: "未发送，{n} 秒后重试",
  retryOffline: "未发送，网络恢复后自动重发",
  retryNow: "立即重试",
  notSent: "无法发送：{reason}",
  discard: "删除",
  reasonInvalid: "消息内容无效",
  reasonEnded: "对话已结束",
  reasonFile: "附件已失效，请重新上传",
  reasonOther: "服务器拒绝了这条消息",
};
export type Strings = typeof zh;

const en: Strings = {
  open: "Chat with us",
  close: "Close",
  title: "Chat",
  start: "Start chat",
  name: "Name",
  phone: "Phone",
  company: "Company",
  code: "Verification code",
  required: "Please enter your {field}",
  badPhone: "Please enter a valid phone number",
  badContact: "Please enter a valid phone number or e-mail",
  tooLong: "{field} is too long",
  placeholder: "Type a message…",
  send: "Send",
  emoji: "Emoji",
  attach: "Send an image or file",
  fileTooBig: "The file is larger than {max} and cannot be sent",
  fileType: "This file type is not allowed",
  fileLimits: "Images or files, up to {max}",
  sending: "Sending",
  sent: "Sent",
  delivered: "Delivered",
  read: "Read",
  failed: "Not sent yet, retrying",
  typing: "{name} is typing…",
  agent: "Agent",
  queued: "Connecting you to an agent; {n} ahead of you",
  queuedNoPos: "Connecting you to an agent, please wait",
  joined: "{name} joined the chat",
  transferred: "Transferred to {name}",
  ended: "The chat has ended",
  offline: "Connection lost, reconnecting…",
  leaveTitle: "Leave a message",
  leaveIntro: "Nobody is available right now. Leave a message and we will get back to you.",
  contact: "Phone or e-mail",
  message: "Message",
  submit: "Send",
  leaveDone: "Thank you, your message has been received.",
  rateTitle: "How did we do?",
  star: "{n} star",
  stars: "{n} stars",
  comment: "Comment (optional)",
  rateDone: "Thank you for your rating!",
  unavailable: "Chat is not available right now. Please try again later.",
  retry: "Retry",
  newChat: "Start a new chat",
  unread: "{n} new",
  fileTypeList: "This file type is not allowed. Allowed: {list}",
  uploadBusy: "Too many files at once; please try again shortly",
  uploadFailed: "The file could not be uploaded; please try again",
  retryIn: "Not sent, retrying in {n} s",
  retryOffline: "Not sent, will send when back online",
  retryNow: "Retry now",
  notSent: "Could not send: {reason}",
  discard: "Remove",
  reasonInvalid: "the message is not valid",
  reasonEnded: "the chat has ended",
  reasonFile: "the attachment is gone; upload it again",
  reasonOther: "the server refused it",
};

export const STRINGS: Record<Lang, Strings> = { "zh-CN": zh, en };

/** data-lang first, then the browser's languages, then the widget's default; any Chinese reads zh-CN. */
export function pickLang(requested: string | null, browser: readonly string[], fallback: Lang = "zh-CN"): Lang {
  for (const l of [requested, ...browser]) {
    if (!l) continue;
    const low = l.toLowerCase();
    if (low.startsWith("zh")) return "zh-CN";
    if (low.startsWith("en")) return "en";
  }
  return fallback;
}

export function fmt(template: string, values: Record<string, string | number>): string {
  return template.replace(/\{(\w+)\}/g, (m, k: string) => (k in values ? String(values[k]) : m));
}

export function formatBytes(n: number): string {
  if (n >= 1024 * 1024) return `${Math.round((n / 1024 / 1024) * 10) / 10} MB`;
  if (n >= 1024) return `${Math.round(n / 1024)} KB`;
  return `${n} B`;
}
