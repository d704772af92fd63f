/**
 * Text search for Chinese and English on PostgreSQL's `simple` configuration.
 *
 * `simple` keeps a run of Chinese characters as one token, so a sentence could only be found by
 * the whole sentence. We therefore store a pre-tokenised `search_tokens` column:
 * - Latin words and numbers, lower-cased;
 * - for each run of CJK characters: the words Intl.Segmenter finds, every single character and
 *   every pair of adjacent characters (bigrams).
 * A query is tokenised the same way, with CJK runs turned into their bigrams (or the single
 * character), all of which must match. Any two-character word therefore finds every text
 * containing it, whatever the segmenter made of the sentence.
 */
const CJK = /[\p{Script=Han}\p{Script=Hiragana}\p{Script=Katakana}\p{Script=Hangul}]/u;
const segmenter = new Intl.Segmenter("zh", { granularity: "word" });

function splitRuns(text: string): { cjk: boolean; text: string }[] {
  const runs: { cjk: boolean; text: string }[] = [];
  for (const ch of text.normalize("NFKC")) {
    const cjk = CJK.test(ch);
    const last = runs.at(-1);
    if (last && last.cjk === cjk) last.text += ch;
    else runs.push({ cjk, text: ch });
  }
  return runs;
}

function latinWords(text: string): string[] {
  return text.toLowerCase().match(/[\p{L}\p{N}][\p{L}\p{N}_.@+-]*/gu)?.map((w) => w.replace(/[.@+_-]+$/, "")) ?? [];
}

/** Every bigram of a CJK run, or the run itself when it is one character. */
function bigrams(run: string): string[] {
  const chars = [...run];
  if (chars.length < 2) return chars;
  const out: string[] = [];
  for (let i = 0; i < chars.length - 1; i++) out.push(chars[i]! + chars[i + 1]!);
  return out;
}

/** The search_tokens value for a document made of the given texts. Capped to keep rows small. */
export function searchTokens(...texts: (string | null | undefined)[]): string {
  const tokens = new Set<string>();
  for (const text of texts) {
    if (!text) continue;
    for (const run of splitRuns(text)) {
      if (!run.cjk) {
        for (const w of latinWords(run.text)) {
          tokens.add(w);
          // e-mail addresses and numbers with separators are found by their parts too
          for (const part of w.split(/[.@+_-]+/)) if (part) tokens.add(part);
        }
        continue;
      }
      for (const seg of segmenter.segment(run.text)) if (seg.isWordLike) tokens.add(seg.segment);
      for (const ch of run.text) tokens.add(ch);
      for (const bg of bigrams(run.text)) tokens.add(bg);
    }
  }
  return [...tokens].join(" ").slice(0, 100_000);
}

const clean = (t: string) => t.replace(/[':*\\&|!()<>]/g, "");

/** A tsquery (for to_tsquery('simple', …)) matching documents that contain every query term;
 * the last Latin word matches as a prefix so that search-as-you-type works. */
export function searchQuery(query: string): string | null {
  const parts = new Set<string>();
  for (const run of splitRuns(query)) {
    if (run.cjk) {
      for (const bg of bigrams(run.text)) parts.add(`'${clean(bg)}'`);
      continue;
    }
    for (const w of latinWords(run.text)) {
      const c = clean(w);
      if (c) parts.add(`'${c}':*`);
    }
  }
  return parts.size > 0 ? [...parts].join(" & ") : null;
}
