// Email local parts and domains are kept ASCII so the demo never depends on SMTPUTF8 or
// IDNA support; names themselves keep their diacritics.

// Letters that Unicode does not decompose into base letter + combining mark.
const NON_DECOMPOSING: Readonly<Record<string, string>> = {
  ł: 'l',
  Ł: 'l',
  ø: 'o',
  Ø: 'o',
  æ: 'ae',
  Æ: 'ae',
  œ: 'oe',
  Œ: 'oe',
  ß: 'ss',
  đ: 'd',
  Đ: 'd',
  ð: 'd',
  Ð: 'd',
  þ: 'th',
  Þ: 'th',
  ı: 'i',
};

const COMBINING_MARKS = /[\u0300-\u036f]/g;
const NON_DECOMPOSING_CHARS = /[łŁøØæÆœŒßđĐðÐþÞı]/g;

/** Lower-case ASCII letters and digits only, with `separator` between words. */
export function asciiSlug(text: string, separator = ''): string {
  return text
    .normalize('NFD')
    .replace(COMBINING_MARKS, '')
    .replace(NON_DECOMPOSING_CHARS, (ch) => NON_DECOMPOSING[ch] ?? '')
    .toLowerCase()
    .replace(/'/g, '')
    .split(/[^a-z0-9]+/)
    .filter((part) => part.length > 0)
    .join(separator);
}
