export { NUMBER_WORDS, PROMPT_LANGUAGES, PROMPTS, spokenNumber, type PromptLanguage, type PromptName } from "./catalogue.ts";
export { BUILT_IN_PROMPTS, expectedWaitWords, PromptLibrary, queuePositionWords, type PromptFileName } from "./library.ts";
export { speak, speechKey, SpokenMessages, SPOKEN_MAX_CHARS, spokenText } from "./speech.ts";
