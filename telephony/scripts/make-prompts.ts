/**
 * Speaks the prompt catalogue with espeak-ng and converts it with sox to 8 kHz 16-bit mono WAV
 * in telephony/prompts/<language>/: `npm run prompts -w @yixian/telephony`. Also makes the
 * music on hold (a soft arpeggio) and the voicemail tone. Needs `espeak-ng` and `sox`
 * (apt-get install espeak-ng sox); the output is committed.
 */
import { execFileSync } from "node:child_process";
import { mkdirSync, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { NUMBER_WORDS, PROMPT_LANGUAGES, PROMPTS } from "../src/prompts/catalogue.ts";
import { speak, TO_8K } from "../src/prompts/speech.ts";

const root = join(dirname(fileURLToPath(import.meta.url)), "..", "prompts");
const work = mkdtempSync(join(tmpdir(), "yx-prompts-"));

for (const language of PROMPT_LANGUAGES) {
  const folder = join(root, language);
  mkdirSync(folder, { recursive: true });
  for (const [name, texts] of Object.entries(PROMPTS)) await speak(language, texts[language], join(folder, `${name}.wav`), work);
  for (const [n, word] of Object.entries(NUMBER_WORDS[language])) await speak(language, word, join(folder, `number-${n}.wav`), work);
}

// Music on hold: a quiet arpeggio over C, Am, F and G, 16 seconds, looped by the player.
const notes = ["C4", "E4", "G4", "E4", "A3", "C4", "E4", "C4", "F3", "A3", "C4", "A3", "G3", "B3", "D4", "B3"];
const parts = notes.flatMap((note, i) => {
  const part = join(work, `note-${i}.wav`);
  execFileSync("sox", ["-n", ...TO_8K, part, "synth", "1", "pluck", note, "fade", "0", "1", "0.6", "vol", "0.35"]);
  return [part];
});
execFileSync("sox", [...parts, join(root, "hold-music.wav")]);
// The tone before a voicemail.
execFileSync("sox", ["-n", ...TO_8K, join(root, "beep.wav"), "synth", "0.4", "sine", "1000", "vol", "0.4"]);
rmSync(work, { recursive: true, force: true });
process.stdout.write(`prompts written to ${root}\n`);
