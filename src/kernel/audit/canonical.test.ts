import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { canonicalJson, canonicalObject, encodeChainedFields, entryHash, genesisHash, type ChainedFields } from './canonical.ts';

const sample: ChainedFields = {
  version: 2,
  tenantId: '01900000-0000-7000-8000-000000000001',
  sequence: 7,
  occurredAt: '2026-01-02T03:04:05.678Z',
  actorType: 'user',
  actorId: '01900000-0000-7000-8000-000000000002',
  purpose: 'sales',
  action: 'contact.read',
  object: 'contact',
  recordIds: ['01900000-0000-7000-8000-000000000003'],
  fields: ['email', 'firstName'],
  decision: 'partial',
  reasons: [{ field: 'phone', reason: 'no_consent', subjects: 2 }],
  subjectPseudonyms: ['0123456789abcdef0123456789abcdef'],
  erasedPseudonyms: ['fedcba9876543210fedcba9876543210'],
  detail: { batch: 3, note: 'é"\\' },
  previousHash: genesisHash,
};

/** The same entry as the previous release wrote it: version 1 has no erased pseudonyms. */
const sampleV1: ChainedFields = { ...sample, version: 1, erasedPseudonyms: [] };

// The plain encoder the fast one replaced: every string through JSON.stringify, keys
// filtered and sorted with the array methods. The chain's hashes were written with it.
function referenceCanonicalJson(value: unknown): string {
  if (value === null) return 'null';
  if (typeof value === 'string' || typeof value === 'number') return JSON.stringify(value);
  if (typeof value === 'boolean') return value ? 'true' : 'false';
  if (Array.isArray(value)) return `[${value.map((item) => (item === undefined ? 'null' : referenceCanonicalJson(item))).join(',')}]`;
  const record = value as Record<string, unknown>;
  const keys = Object.keys(record)
    .filter((key) => record[key] !== undefined)
    .sort();
  return `{${keys.map((key) => `${JSON.stringify(key)}:${referenceCanonicalJson(record[key])}`).join(',')}}`;
}

describe('canonical JSON (RFC 8785 for the values the audit trail stores)', () => {
  it('sorts keys by UTF-16 code units at every depth and writes no whitespace', () => {
    expect(canonicalJson({ b: 1, a: { d: [true, null], c: 'x' }, B: 2 })).toBe('{"B":2,"a":{"c":"x","d":[true,null]},"b":1}');
  });

  it('writes numbers as ECMAScript does and leaves out undefined keys', () => {
    expect(canonicalJson({ n: 1e21, m: 0.1, z: -0, u: undefined })).toBe('{"m":0.1,"n":1e+21,"z":0}');
  });

  it('writes exactly what the plain reference encoder writes, for any strings including lone surrogates and control characters', () => {
    const text = fc.string({ unit: 'binary' });
    const json = fc.letrec((tie) => ({
      value: fc.oneof(
        { depthSize: 'small' },
        text,
        fc.double({ noNaN: true, noDefaultInfinity: true }),
        fc.boolean(),
        fc.constant(null),
        fc.array(tie('value')),
        fc.dictionary(text, tie('value')),
      ),
    })).value;
    fc.assert(
      fc.property(json, (value) => {
        expect(canonicalJson(value)).toBe(referenceCanonicalJson(value));
      }),
    );
  });

  it('refuses values JSON cannot carry', () => {
    expect(() => canonicalJson({ n: Number.NaN })).toThrow(TypeError);
    expect(() => canonicalJson(1n as unknown)).toThrow(TypeError);
  });
});

describe('entry encoding', () => {
  it('is the generic canonical JSON of the fields, with the version as v and erased pseudonyms from version 2 on', () => {
    expect(encodeChainedFields(sample)).toBe(canonicalJson({ ...canonicalObject(sample) }));
    expect(encodeChainedFields(sample)).toContain('"detail":{"batch":3,"note":"é\\"\\\\"},"erasedPseudonyms":["fedcba9876543210fedcba9876543210"],"fields"');
    expect(encodeChainedFields(sample).endsWith(',"v":2}')).toBe(true);
    expect(encodeChainedFields(sampleV1)).not.toContain('erasedPseudonyms');
  });

  it('of version 1 is byte for byte what the previous release hashed', () => {
    // Written and hashed by the release before encoding version 2 (its canonical.ts).
    expect(encodeChainedFields(sampleV1)).toBe(
      '{"action":"contact.read","actorId":"01900000-0000-7000-8000-000000000002","actorType":"user","decision":"partial","detail":{"batch":3,"note":"é\\"\\\\"},' +
        '"fields":["email","firstName"],"object":"contact","occurredAt":"2026-01-02T03:04:05.678Z","previousHash":"' +
        genesisHash +
        '","purpose":"sales",' +
        '"reasons":[{"field":"phone","reason":"no_consent","subjects":2}],"recordIds":["01900000-0000-7000-8000-000000000003"],"sequence":7,' +
        '"subjectPseudonyms":["0123456789abcdef0123456789abcdef"],"tenantId":"01900000-0000-7000-8000-000000000001","v":1}',
    );
    expect(entryHash(sampleV1)).toBe('41dbc1031cbd1c8a30f51cd8f87e263b13c45ad105a5b07fb04fd26085bb379a');
  });

  it('equals the generic and the reference encoder for arbitrary entries of either version', () => {
    const text = fc.string({ unit: 'binary' });
    fc.assert(
      fc.property(
        fc.record({
          version: fc.constantFrom(1 as const, 2 as const),
          sequence: fc.nat(),
          actorId: text,
          purpose: fc.option(text),
          action: text,
          object: fc.option(text),
          fields: fc.array(text),
          erasedPseudonyms: fc.array(text),
          reasons: fc.array(fc.oneof(text, fc.record({ reason: text, field: text }))),
          detail: fc.dictionary(text, fc.oneof(text, fc.double({ noNaN: true, noDefaultInfinity: true }), fc.boolean(), fc.constant(null), fc.array(text))),
        }),
        (random) => {
          const fields = { ...sample, ...random };
          expect(encodeChainedFields(fields)).toBe(canonicalJson(canonicalObject(fields)));
          expect(encodeChainedFields(fields)).toBe(referenceCanonicalJson(canonicalObject(fields)));
        },
      ),
    );
  });

  it('changes the hash when any hashed field changes, including the previous hash', () => {
    const base = entryHash(sample);
    const variants: Partial<ChainedFields>[] = [
      { sequence: 8 },
      { occurredAt: '2026-01-02T03:04:05.679Z' },
      { actorId: 'other' },
      { purpose: null },
      { fields: ['email'] },
      { decision: 'allow' },
      { reasons: [] },
      { subjectPseudonyms: [] },
      { recordIds: [] },
      { detail: {} },
      { previousHash: 'f'.repeat(64) },
      { tenantId: '01900000-0000-7000-8000-000000000009' },
      { erasedPseudonyms: [] },
      { version: 1, erasedPseudonyms: [] },
    ];
    for (const variant of variants) expect(entryHash({ ...sample, ...variant })).not.toBe(base);
    expect(entryHash({ ...sample })).toBe(base);
    expect(base).toMatch(/^[0-9a-f]{64}$/);
  });
});
