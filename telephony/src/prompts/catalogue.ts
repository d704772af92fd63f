/**
 * The phone's spoken prompts, in zh-CN and en. `npm run prompts -w @yixian/telephony` speaks
 * them with espeak-ng and turns them into 8 kHz 16-bit mono WAV with sox, into
 * `telephony/prompts/<language>/<name>.wav`; the files are committed, so neither tool is needed
 * to run the product. Numbers are spoken from the number words below (`spokenNumber`).
 */
import type { PromptName as TenantReplaceable } from "@yixian/contracts";

export type PromptLanguage = "zh-CN" | "en";
export const PROMPT_LANGUAGES: readonly PromptLanguage[] = ["zh-CN", "en"];

/** Exactly the contracts' PROMPT_NAMES: a tenant may replace each with a recording of its own. */
export const PROMPTS = {
  welcome: { "zh-CN": "您好，欢迎致电客户服务中心。", en: "Hello, and thank you for calling customer service." },
  "enter-code": { "zh-CN": "请输入您的服务验证码，以井号键结束。", en: "Please key in your service verification code, followed by the hash key." },
  "code-wrong": { "zh-CN": "验证码不正确，请重新输入。", en: "That code was not recognised. Please try again." },
  "code-failed": { "zh-CN": "验证未成功，正在为您转接人工服务。", en: "We could not verify the code. We are putting you through to an agent." },
  menu: { "zh-CN": "请按键选择服务。", en: "Please choose from the following options." },
  press: { "zh-CN": "请按", en: "press" },
  "queue-position-before": { "zh-CN": "您前面还有", en: "You are number" },
  "queue-position-after": { "zh-CN": "位客户在等待。", en: "in the queue." },
  "expected-wait-before": { "zh-CN": "预计等待时间约", en: "The expected wait is about" },
  "expected-wait-minutes": { "zh-CN": "分钟。", en: "minutes." },
  "expected-wait-short": { "zh-CN": "预计很快为您接通。", en: "You will be connected shortly." },
  "waiting-options": {
    "zh-CN": "如需留言，请按一；如需回电，请按二。",
    en: "To leave a voicemail, press one. To be called back, press two.",
  },
  "option-voicemail": { "zh-CN": "如需留言，请按", en: "To leave a voicemail, press" },
  "option-callback": { "zh-CN": "如需回电，请按", en: "To be called back, press" },
  "key-invalid": { "zh-CN": "抱歉，您的按键无效。", en: "Sorry, that key is not one of the choices." },
  star: { "zh-CN": "星号键", en: "star" },
  hash: { "zh-CN": "井号键", en: "hash" },
  "callback-booked": { "zh-CN": "已为您登记回电，我们会尽快与您联系，再见。", en: "Your call-back is booked. We will call you as soon as we can. Goodbye." },
  voicemail: { "zh-CN": "请在提示音后留言，按井号键结束。", en: "Please leave your message after the tone, and press the hash key when you are done." },
  "voicemail-saved": { "zh-CN": "您的留言已保存，谢谢，再见。", en: "Your message has been saved. Thank you, goodbye." },
  "voicemail-empty": { "zh-CN": "没有听到您的留言，再见。", en: "We did not hear a message. Goodbye." },
  closed: {
    "zh-CN": "现在是非工作时间，请在提示音后留言，我们将在工作时间内与您联系。",
    en: "We are closed now. Please leave a message after the tone and we will call you back during opening hours.",
  },
  rate: { "zh-CN": "请对本次服务进行评价，非常满意请按五，不满意请按一。", en: "Please rate our service, from five for very satisfied to one for not satisfied." },
  thanks: { "zh-CN": "感谢您的评价，再见。", en: "Thank you for your rating. Goodbye." },
  sorry: { "zh-CN": "抱歉，系统暂时无法接通您的电话，请稍后再拨。", en: "Sorry, we cannot take your call right now. Please call again later." },
} as const satisfies Record<TenantReplaceable, Record<PromptLanguage, string>>;

export type PromptName = keyof typeof PROMPTS;

/** Number words the spoken numbers are built from: 0–20, then the tens. */
export const NUMBER_WORDS: Record<PromptLanguage, Record<number, string>> = {
  "zh-CN": Object.fromEntries(
    [..."零一二三四五六七八九十"].map((w, i) => [i, w] as const),
  ),
  en: Object.fromEntries(
    [
      "zero", "one", "two", "three", "four", "five", "six", "seven", "eight", "nine", "ten",
      "eleven", "twelve", "thirteen", "fourteen", "fifteen", "sixteen", "seventeen", "eighteen", "nineteen", "twenty",
    ]
      .map((w, i) => [i, w] as const)
      .concat([[30, "thirty"], [40, "forty"], [50, "fifty"], [60, "sixty"], [70, "seventy"], [80, "eighty"], [90, "ninety"]]),
  ),
};

/**
 * The number words, in order, that say `n` (0–99; larger numbers are said digit by digit).
 * zh-CN: 十二 = 十 二, 二十 = 二 十, 二十三 = 二 十 三. en: twenty-three = twenty three.
 */
export function spokenNumber(n: number, language: PromptLanguage): number[] {
  const whole = Math.max(0, Math.floor(n));
  if (whole > 99) return [...String(whole)].map(Number);
  if (language === "zh-CN") {
    if (whole <= 10) return [whole];
    const tens = Math.floor(whole / 10);
    const units = whole % 10;
    return [...(tens > 1 ? [tens] : []), 10, ...(units ? [units] : [])];
  }
  if (whole <= 20) return [whole];
  const tens = Math.floor(whole / 10) * 10;
  return [tens, ...(whole % 10 ? [whole % 10] : [])];
}
