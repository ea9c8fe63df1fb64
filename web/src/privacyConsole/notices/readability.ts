import { flesch } from 'flesch';
import { syllable } from 'syllable';

/*
 * The live readability of a draft, counted as the server counts a saved notice
 * (src/privacy/notices/readability.ts): a sentence ends at . ! ? or at the end of a block,
 * words are runs of letters and digits, syllables come from `syllable`, the reading ease from
 * `flesch` and the grade from the Flesch–Kincaid formula.
 */

export type Readability = { readingEase: number; grade: number };

const wordPattern = /[\p{L}\p{N}]+(?:['’-][\p{L}\p{N}]+)*/gu;

/** The readability of a text, one block per line; null when it has no word. */
export function readabilityOf(text: string): Readability | null {
  let sentences = 0;
  let words = 0;
  let syllables = 0;
  for (const sentence of text.split(/[.!?]+(?=\s|$)|\n/)) {
    const found = sentence.match(wordPattern)?.filter((word) => /\p{L}/u.test(word)) ?? [];
    if (found.length === 0) continue;
    sentences += 1;
    words += found.length;
    for (const word of found) syllables += Math.max(1, syllable(word));
  }
  if (words === 0) return null;
  return {
    readingEase: flesch({ sentence: sentences, word: words, syllable: syllables }),
    grade: 0.39 * (words / sentences) + 11.8 * (syllables / words) - 15.59,
  };
}

// Flesch's own bands (1948): 60–70 is plain English.
const bands: Array<[number, string]> = [
  [90, 'Very easy'],
  [80, 'Easy'],
  [70, 'Fairly easy'],
  [60, 'Plain'],
  [50, 'Fairly hard'],
  [30, 'Hard'],
];

/** "Plain: 65 — about grade 8"; the grade is at least 1. */
export function readabilityLabel(readability: Readability | null): string {
  if (!readability) return 'No words to score yet';
  const band = bands.find(([floor]) => readability.readingEase >= floor)?.[1] ?? 'Very hard';
  return `${band}: ${Math.round(readability.readingEase)} — about grade ${Math.max(1, Math.round(readability.grade))}`;
}
