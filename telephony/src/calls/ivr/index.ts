export { ALL_KEYS, createCallerLine, type CallerLine } from "./caller-line.ts";
export { askMenu, type MenuOptions } from "./menu.ts";
export { createPromptSet, type PromptSet, type TenantPromptFile } from "./prompt-set.ts";
export { askRating } from "./rating.ts";
export { askVerificationCode, type VerificationOptions } from "./verification.ts";
export { recordVoicemail, type VoicemailOptions } from "./voicemail.ts";
export { waitInQueue, type QueuePlace, type WaitInQueueOptions } from "./wait-in-queue.ts";
