export { ALL_KEYS, createCallerLine, type CallerLine } from "./caller-line.ts";
export { createPromptSet, type PromptSet, type TenantPromptFile } from "./prompt-set.ts";
