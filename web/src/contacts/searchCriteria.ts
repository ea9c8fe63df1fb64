/** What POST /api/v1/contacts/search looks for: name words, or an exact e-mail address or phone number. */
export type ContactSearchCriteria = { name: string } | { email: string } | { phone: string };

/**
 * What the user typed, as the search's one criterion: an e-mail address when it has an @, a
 * phone number when it is digits (with +, spaces, dashes, dots, brackets), name words
 * otherwise. Null until it is worth asking: the API wants a name word of 2 letters or more
 * (at most 5 words), and finds addresses and numbers only whole.
 */
export function searchCriteria(text: string): ContactSearchCriteria | null {
  const typed = text.trim();
  if (typed.includes('@')) return /^[^@\s]+@[^@\s]+\.[^@\s]+$/.test(typed) ? { email: typed } : null;
  if (/^\+?[\d\s().-]+$/.test(typed)) return typed.replace(/\D/g, '').length >= 6 ? { phone: typed } : null;
  const words = typed.split(/\s+/).filter(Boolean);
  return words.length <= 5 && words.some((word) => word.length >= 2) ? { name: words.join(' ') } : null;
}
