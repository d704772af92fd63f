import { ERROR_CODES, type ErrorCode } from "@yixian/contracts";
import type { Lang } from "./i18n.tsx";

/**
 * What the console says for each error code the server can answer, in both languages. The
 * server's own `message` is English for logs and API users; the console never shows it, so no
 * error reaches an agent untranslated (a new code does not compile without its two texts).
 */
const texts: Record<Lang, Record<ErrorCode | "NETWORK", string>> = {
  "zh-CN": {
    NETWORK: "连接不上服务器，请检查网络后重试。",
    VALIDATION_FAILED: "填写的内容有误，请检查后重试。",
    UNAUTHENTICATED: "登录已过期，请重新登录。",
    INVALID_CREDENTIALS: "邮箱或密码不正确。",
    FORBIDDEN: "你的角色没有这项权限。",
    NOT_FOUND: "找不到该记录，可能已被删除。",
    CONFLICT: "已有相同的记录。",
    PAYLOAD_TOO_LARGE: "文件或内容太大。",
    UNSUPPORTED_MEDIA_TYPE: "不支持这种文件类型。",
    UPLOAD_TRUNCATED: "文件没有传完整，请重新上传。",
    RANGE_NOT_SATISFIABLE: "请求的文件片段超出了文件长度。",
    RATE_LIMITED: "操作太频繁，请稍后再试。",
    CSRF_REJECTED: "请求来自其他网站，已拒绝。请在控制台页面内操作。",
    INTERNAL: "服务器出错了，请稍后重试。",
    SERVICE_UNAVAILABLE: "服务暂时不可用，请稍后重试。",
    INVALID_PHONE: "电话号码格式不正确。",
    IDENTITY_TAKEN: "该号码或账号已属于另一位客户。",
    VERIFICATION_CODE_TAKEN: "该服务验证码已被另一家公司使用。",
    INVALID_VERIFICATION_CODE: "服务验证码不正确。",
    CONTACT_MERGED: "该客户已被合并到另一位客户。",
    MERGE_SAME_CONTACT: "不能把客户合并到自己。",
    IMPORT_INVALID_FILE: "无法读取导入文件（请用 CSV 或 Excel）。",
    CONTACT_ALREADY_IDENTIFIED: "该访客已识别为另一位客户。",
    INVALID_TRANSITION: "工单当前状态下不能这样改。",
    TICKET_CLOSED: "工单已关闭。",
    TICKET_MERGED: "工单已被合并到另一张工单。",
    MERGE_SAME_TICKET: "不能把工单合并到自己。",
    INVALID_CUSTOM_FIELD: "自定义字段的值不正确。",
    RATING_EXISTS: "该工单已有评价。",
    CONVERSATION_ENDED: "会话已结束。",
    CONVERSATION_NOT_ACCEPTED: "请先接受该会话。",
    CONVERSATION_HAS_NO_TICKET: "该会话还没有工单。",
    EMAIL_TAKEN: "该邮箱已被使用。",
    NAME_TAKEN: "该名称已被使用。",
    DID_TAKEN: "该号码已绑定在另一条中继上。",
    AUDIO_INVALID: "无法读取这个录音文件，请上传有声音的录音。",
    AUDIO_TRUNCATED: "录音文件不完整（在结尾前被截断），请重新导出后再上传。",
    AUDIO_TOO_LONG: "录音太长，最长 10 分钟。",
    DESTINATION_NOT_ALLOWED: "外呼限制不允许拨打这个号码。",
    NO_OUTBOUND_TRUNK: "没有可用于外呼的中继，请联系管理员。",
    PHONE_NOT_REGISTERED: "电话未登记，请先让软电话或话机上线。",
    CALLBACK_TAKEN: "另一位坐席正在回拨这个号码。",
    CALLBACK_DONE: "这个未接来电已经回拨过了。",
    OFFER_EXPIRED: "邀请已过期，已转给他人。",
    OFFER_CLOSED: "邀请已被他人接受或已撤回。",
    AGENT_UNAVAILABLE: "该坐席现在不能接收（不在线、暂离或已满）。",
    AGENT_AT_CAPACITY: "已达到该渠道的接待上限。",
    NOT_QUEUE_MEMBER: "你不在该会话的队列里。",
    OFFERED_TO_ANOTHER_AGENT: "该会话正在邀请另一位坐席。",
  },
  en: {
    NETWORK: "Cannot reach the server; check the network and try again.",
    VALIDATION_FAILED: "Something you entered is not valid; check it and try again.",
    UNAUTHENTICATED: "Your session expired; please sign in again.",
    INVALID_CREDENTIALS: "Wrong e-mail or password.",
    FORBIDDEN: "Your role may not do this.",
    NOT_FOUND: "Not found; it may have been deleted.",
    CONFLICT: "A record with these values already exists.",
    PAYLOAD_TOO_LARGE: "The file or text is too large.",
    UNSUPPORTED_MEDIA_TYPE: "This type of file is not supported.",
    UPLOAD_TRUNCATED: "The upload was cut off; please upload the file again.",
    RANGE_NOT_SATISFIABLE: "The part of the file asked for lies beyond its end.",
    RATE_LIMITED: "Too many attempts; try again in a moment.",
    CSRF_REJECTED: "Refused: the request came from another site. Use the console's own page.",
    INTERNAL: "The server ran into an error; try again later.",
    SERVICE_UNAVAILABLE: "The service is unavailable right now; try again later.",
    INVALID_PHONE: "That is not a valid phone number.",
    IDENTITY_TAKEN: "This number or account belongs to another customer.",
    VERIFICATION_CODE_TAKEN: "Another company already uses this service verification code.",
    INVALID_VERIFICATION_CODE: "Wrong service verification code.",
    CONTACT_MERGED: "This customer was merged into another.",
    MERGE_SAME_CONTACT: "A customer cannot be merged into itself.",
    IMPORT_INVALID_FILE: "The import file cannot be read (use CSV or Excel).",
    CONTACT_ALREADY_IDENTIFIED: "This visitor is already identified as another customer.",
    INVALID_TRANSITION: "The ticket cannot change like that from its current status.",
    TICKET_CLOSED: "The ticket is closed.",
    TICKET_MERGED: "The ticket was merged into another.",
    MERGE_SAME_TICKET: "A ticket cannot be merged into itself.",
    INVALID_CUSTOM_FIELD: "A custom field has an invalid value.",
    RATING_EXISTS: "This ticket is rated already.",
    CONVERSATION_ENDED: "The conversation has ended.",
    CONVERSATION_NOT_ACCEPTED: "Accept the conversation first.",
    CONVERSATION_HAS_NO_TICKET: "The conversation has no ticket yet.",
    EMAIL_TAKEN: "This e-mail is already in use.",
    NAME_TAKEN: "This name is already in use.",
    DID_TAKEN: "This number already lands on another trunk.",
    AUDIO_INVALID: "This recording cannot be read. Upload a WAV or MP3 file with sound in it.",
    AUDIO_TRUNCATED: "The recording is incomplete (cut off before its end). Export it again and upload it.",
    AUDIO_TOO_LONG: "The recording is too long: 10 minutes at most.",
    DESTINATION_NOT_ALLOWED: "Your outbound call limits do not allow this number.",
    NO_OUTBOUND_TRUNK: "No trunk can place outbound calls; ask an admin.",
    PHONE_NOT_REGISTERED: "Your phone is not registered; bring the softphone or desk phone online first.",
    CALLBACK_TAKEN: "Another agent is already calling this number back.",
    CALLBACK_DONE: "This missed call has already been called back.",
    OFFER_EXPIRED: "The offer expired and went to someone else.",
    OFFER_CLOSED: "Someone else took the offer, or it was withdrawn.",
    AGENT_UNAVAILABLE: "That agent cannot take it now (offline, away or at capacity).",
    AGENT_AT_CAPACITY: "You are at your limit for this channel.",
    NOT_QUEUE_MEMBER: "You are not in this conversation's queue.",
    OFFERED_TO_ANOTHER_AGENT: "This conversation is being offered to another agent.",
  },
};

const isCode = (code: unknown): code is ErrorCode => typeof code === "string" && (ERROR_CODES as readonly string[]).includes(code);

/** A code the server could have sent, for acks built in the console; anything else is INTERNAL. */
export function knownCode(code: unknown): ErrorCode {
  return isCode(code) ? code : "INTERNAL";
}

/** The agent-facing text of a failed request or socket answer (anything with a `code`), in `lang`. */
export function errorText(err: unknown, lang: Lang): string {
  const code = err && typeof err === "object" && "code" in err ? (err as { code: unknown }).code : undefined;
  if (isCode(code)) return texts[lang][code];
  // fetch rejects with a TypeError when the server cannot be reached
  if (err instanceof TypeError) return texts[lang].NETWORK;
  return texts[lang].INTERNAL;
}
