import { isSupportedCountry, parsePhoneNumberFromString, type CountryCode } from 'libphonenumber-js/min';

// Canonical forms of contact identifiers. Import validation and duplicate detection both
// use these, so two spellings of the same address or number must normalise identically.

const DOMAIN_LABEL = /^[\p{L}\p{N}](?:[\p{L}\p{N}-]{0,61}[\p{L}\p{N}])?$/u;

function isHostname(host: string): boolean {
  if (host.length === 0 || host.length > 253) return false;
  const labels = host.split('.');
  if (labels.length < 2) return false;
  // A purely numeric last label means an IP address, which is not a company or mail domain.
  if (/^\d+$/.test(labels[labels.length - 1])) return false;
  return labels.every((label) => DOMAIN_LABEL.test(label));
}

/**
 * Lower-cased, trimmed email address, or null when it is not a plausible address.
 * The local part is lower-cased too: providers treat it case-insensitively in practice and
 * duplicate detection would otherwise miss "Jane@x" vs "jane@x". Dots and "+tags" are kept,
 * because stripping them is only correct for some providers.
 */
export function normalizeEmail(raw: string): string | null {
  const value = raw
    .trim()
    .normalize('NFC')
    .replace(/^mailto:/i, '')
    .toLowerCase();
  if (value.length === 0 || value.length > 254) return null;
  const at = value.lastIndexOf('@');
  if (at <= 0) return null;
  const local = value.slice(0, at);
  const domain = value.slice(at + 1);
  if (local.length > 64 || !/^[^\s@"(),:;<>[\]\\]+$/.test(local)) return null;
  if (local.startsWith('.') || local.endsWith('.') || local.includes('..')) return null;
  return isHostname(domain) ? `${local}@${domain}` : null;
}

const EXTENSION = /\s*(?:ext\.?|extension|x|#)\s*(\d{1,6})\s*$/i;

/** True for an ISO 3166-1 alpha-2 region whose phone numbering Candor knows ("US", "GB", …). */
export function isPhoneRegion(value: string): value is CountryCode {
  return /^[A-Z]{2}$/.test(value) && isSupportedCountry(value);
}

/**
 * Phone number as "+<digits>" (E.164) when the input carries an international prefix
 * ("+" or "00"). A national number ("(555) 010-0102") becomes E.164 too when a default
 * region is given and the number has a possible length there (libphonenumber-js; fictional
 * 555 numbers count, so validity is not asked); otherwise it stays bare national digits:
 * without a country we cannot safely guess one. An extension is kept as ";ext=NN" (RFC
 * 3966) so that colleagues sharing a switchboard number are not treated as duplicates.
 * Returns null when it is not a number.
 */
export function normalizePhone(raw: string, defaultRegion?: string): string | null {
  const national = normalizeDialledPhone(raw);
  if (national === null || national.startsWith('+') || !defaultRegion || !isPhoneRegion(defaultRegion)) return national;
  const parsed = parsePhoneNumberFromString(raw.replace(/^\s*tel:/i, ''), { defaultCountry: defaultRegion });
  if (!parsed?.isPossible()) return national;
  return `${parsed.number}${national.includes(';ext=') ? national.slice(national.indexOf(';ext=')) : ''}`;
}

/**
 * Every stored form a typed number may have been indexed under: its E.164 form in the
 * region, and the bare national digits that numbers written before regions existed kept.
 */
export function phoneLookupForms(raw: string, defaultRegion?: string): string[] {
  return [...new Set([normalizePhone(raw, defaultRegion), normalizePhone(raw)].filter((form): form is string => form !== null))];
}

function normalizeDialledPhone(raw: string): string | null {
  let value = raw.trim();
  if (value.length === 0) return null;
  let extension = '';
  const ext = EXTENSION.exec(value);
  if (ext) {
    extension = `;ext=${ext[1]}`;
    value = value.slice(0, ext.index);
  }
  value = value.replace(/^tel:/i, '');
  if (!/^\+?[\d\s().\-/]+$/.test(value)) return null;

  let international = value.startsWith('+');
  // "+44 (0)20 …" writes the national trunk prefix in brackets; it is not dialled from abroad.
  if (international) value = value.replace(/\(0\)/g, '');
  let digits = value.replace(/\D/g, '');
  if (!international && digits.startsWith('00')) {
    international = true;
    digits = digits.slice(2);
  }
  if (international) {
    if (digits.length < 7 || digits.length > 15 || digits.startsWith('0')) return null;
    return `+${digits}${extension}`;
  }
  if (digits.length < 5 || digits.length > 15) return null;
  return `${digits}${extension}`;
}

/**
 * Bare lower-case host name of a website or domain ("https://www.Example.com/about" →
 * "example.com"), or null. "www." is dropped because exports mix both spellings for the
 * same company.
 */
export function normalizeDomain(raw: string): string | null {
  let value = raw.trim().normalize('NFC').toLowerCase();
  value = value.replace(/^[a-z][a-z\d+.-]*:\/\//, '');
  value = value.replace(/^[^/?#@]*@/, '');
  value = value.split(/[/?#]/, 1)[0];
  value = value
    .replace(/:\d+$/, '')
    .replace(/\.$/, '')
    .replace(/^www\./, '');
  return isHostname(value) ? value : null;
}
