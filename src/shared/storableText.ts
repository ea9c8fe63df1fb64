// PostgreSQL text and jsonb cannot hold U+0000, and a lone UTF-16 surrogate has no UTF-8
// form (the driver would silently store U+FFFD instead). Both are refused at the door.
const lonelySurrogate = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;

/** Why PostgreSQL cannot store `text` as sent, or null when it can. Never quotes the text. */
export function unstorableTextReason(text: string): string | null {
  if (text.includes('\u0000')) return 'contains U+0000 (NUL), which cannot be stored';
  if (lonelySurrogate.test(text)) return 'contains a lone UTF-16 surrogate, which is not valid Unicode';
  return null;
}

export const isStorableText = (text: string): boolean => unstorableTextReason(text) === null;
