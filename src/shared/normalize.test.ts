import { describe, it, expect } from 'vitest';
import { isPhoneRegion, normalizeDomain, normalizeEmail, normalizePhone, phoneLookupForms } from './normalize.ts';

describe('normalizeEmail', () => {
  it('trims and lower-cases an address so spellings of one address compare equal', () => {
    expect(normalizeEmail('  Jane.Doe@Example.COM ')).toBe('jane.doe@example.com');
  });

  it('keeps plus tags and dots because not every provider ignores them', () => {
    expect(normalizeEmail('jane.doe+crm@example.com')).toBe('jane.doe+crm@example.com');
  });

  it('drops a mailto: prefix copied from a link', () => {
    expect(normalizeEmail('mailto:jane@example.org')).toBe('jane@example.org');
  });

  it.each([
    [''],
    ['jane'],
    ['jane@'],
    ['@example.com'],
    ['jane@example'],
    ['jane doe@example.com'],
    ['jane@@example.com'],
    ['.jane@example.com'],
    ['ja..ne@example.com'],
    ['jane@exa_mple.com'],
    ['jane@192.168.0.1'],
    ['Jane Doe <jane@example.com>'],
  ])('rejects %j as not an email address', (value) => {
    expect(normalizeEmail(value)).toBeNull();
  });

  it('accepts internationalised domains', () => {
    expect(normalizeEmail('kontakt@bücher.example')).toBe('kontakt@bücher.example');
  });
});

describe('normalizePhone', () => {
  it.each([
    ['+44 20 7946 0018', '+442079460018'],
    ['+44 (0)20 7946 0018', '+442079460018'],
    ['0044 20 7946 0018', '+442079460018'],
    ['+1 (303) 555-0142', '+13035550142'],
    ['+33.4.55.50.01.77', '+33455500177'],
    ['tel:+4930555011', '+4930555011'],
  ])('writes international number %j in E.164 form', (value, expected) => {
    expect(normalizePhone(value)).toBe(expected);
  });

  it('keeps national numbers as bare digits because the country cannot be guessed', () => {
    expect(normalizePhone('(303) 555-0142')).toBe('3035550142');
    expect(normalizePhone('06-5550-0199')).toBe('0655500199');
  });

  it('keeps an extension apart so colleagues on one switchboard are not merged', () => {
    expect(normalizePhone('(303) 555-0142 ext. 12')).toBe('3035550142;ext=12');
    expect(normalizePhone('+1 303 555 0142 x7')).toBe('+13035550142;ext=7');
  });

  it.each([[''], ['call me'], ['555'], ['+0 123 456 789'], ['12+34567'], ['+1234567890123456']])('rejects %j as not a phone number', (value) => {
    expect(normalizePhone(value)).toBeNull();
  });
});

describe('normalizeDomain', () => {
  it.each([
    ['example.com', 'example.com'],
    ['https://www.Example.com/about?x=1', 'example.com'],
    ['http://shop.example.org:8080', 'shop.example.org'],
    ['www.example.org.', 'example.org'],
  ])('reduces %j to the host name', (value, expected) => {
    expect(normalizeDomain(value)).toBe(expected);
  });

  it.each([[''], ['localhost'], ['not a domain'], ['https://10.0.0.1/'], ['-bad-.example.com']])('rejects %j', (value) => {
    expect(normalizeDomain(value)).toBeNull();
  });
});

describe('normalizePhone with a default region', () => {
  it('writes a national number in E.164 for the region, extension kept', () => {
    expect(normalizePhone('(555) 010-0102', 'US')).toBe('+15550100102');
    expect(normalizePhone('(303) 555-0142 ext. 12', 'US')).toBe('+13035550142;ext=12');
    expect(normalizePhone('020 7946 0958', 'GB')).toBe('+442079460958');
  });

  it('leaves international numbers and numbers of impossible length as without a region', () => {
    expect(normalizePhone('+44 (0)20 7946 0958', 'US')).toBe('+442079460958');
    expect(normalizePhone('12345', 'US')).toBe('12345');
    expect(normalizePhone('(555) 010-0102', 'XX')).toBe('5550100102');
  });

  it('looks a typed number up under its E.164 form and its old bare-digit form', () => {
    expect(phoneLookupForms('(555) 010-0102', 'US')).toEqual(['+15550100102', '5550100102']);
    expect(phoneLookupForms('+1 555 010 0102', 'US')).toEqual(['+15550100102']);
  });

  it('knows regions by their ISO code in capitals', () => {
    expect(isPhoneRegion('US')).toBe(true);
    expect(isPhoneRegion('us')).toBe(false);
    expect(isPhoneRegion('XX')).toBe(false);
  });
});
