import { flesch } from 'flesch';
import { syllable } from 'syllable';
import { markdownToText } from './markdownText.ts';

/*
 * How easy a notice is to read: the Flesch reading ease (1948; 60–70 is plain English, higher
 * is easier) and the Flesch–Kincaid grade (1975; the US school grade that can follow it),
 * from the counts of sentences, words and syllables of its text without markup. Both
 * formulas are for English: the score of a notice in another language is a rough guide.
 * The web editor scores the draft as it is typed with the same packages and counting.
 */

export type Readability = { readingEase: number; grade: number; words: number; sentences: number };

const wordPattern = /[\p{L}\p{N}]+(?:['’-][\p{L}\p{N}]+)*/gu;

const oneDecimal = (value: number) => Math.round(value * 10) / 10;

/** The readability of plain text (one block per line); null when it has no word to score. */
export function textReadability(text: string): Readability | null {
  let sentences = 0;
  let words = 0;
  let syllables = 0;
  // A sentence ends at . ! ? (or a run of them) or at the end of a block.
  for (const sentence of text.split(/[.!?]+(?=\s|$)|\n/)) {
    const found = sentence.match(wordPattern)?.filter((word) => /\p{L}/u.test(word)) ?? [];
    if (found.length === 0) continue;
    sentences += 1;
    words += found.length;
    for (const word of found) syllables += Math.max(1, syllable(word));
  }
  if (words === 0) return null;
  const grade = 0.39 * (words / sentences) + 11.8 * (syllables / words) - 15.59;
  return { readingEase: oneDecimal(flesch({ sentence: sentences, word: words, syllable: syllables })), grade: oneDecimal(grade), words, sentences };
}

/** The readability of a notice's Markdown. */
export const noticeReadability = (markdown: string): Readability | null => textReadability(markdownToText(markdown));
