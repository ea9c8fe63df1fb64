import { randomBytes, randomUUID } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { unwrapSubjectKey, wrapSubjectKey } from '../../src/kernel/vault/keyWrap.ts';
import { blindIndex, openValue, sealValue, type SubjectKeys } from '../../src/kernel/vault/index.ts';
import { subjectPseudonym } from '../../src/kernel/audit/pseudonyms.ts';
import { pseudonymKeyOf } from '../../src/kernel/vault/pseudonymKeys.ts';
import { auditPseudonym, exactBlindIndex, openField, sealField, unwrapKey, wrapKey } from './crypto.ts';

// The baselines' own crypto must store what Candor stores: each direction is checked here
// against the kernel, so a baseline never measures cheaper work than Candor's by accident.
const tenantId = randomUUID();
const subjectId = randomUUID();
const subjectKey = randomBytes(32);
const keys: SubjectKeys = { tenantId, subjectId, latestVersion: 1, keys: new Map([[1, subjectKey]]) };

describe("the baselines' independent crypto", () => {
  it('seals values that Candor opens, and opens values that Candor sealed', () => {
    expect(openValue(keys, 'email', sealField(subjectKey, 1, tenantId, subjectId, 'email', 'ada@example.org'))).toBe('ada@example.org');
    expect(openField(subjectKey, tenantId, subjectId, 'city', sealValue(keys, 'city', 'Zürich'))).toBe('Zürich');
  });

  it('refuses a value sealed for another field, as Candor does', () => {
    const sealed = sealField(subjectKey, 1, tenantId, subjectId, 'email', 'ada@example.org');
    expect(() => openField(subjectKey, tenantId, subjectId, 'phone', sealed)).toThrow();
  });

  it('wraps subject keys that Candor unwraps, and unwraps keys that Candor wrapped', () => {
    const epochKey = randomBytes(32);
    const binding = { tenantId, subjectId, keyVersion: 1, epoch: 3 };
    expect(unwrapSubjectKey(epochKey, binding, wrapKey(epochKey, tenantId, subjectId, 1, 3, subjectKey))).toEqual(subjectKey);
    const wrapped = wrapSubjectKey(epochKey, binding, subjectKey);
    expect(unwrapKey(epochKey, tenantId, { subject_id: subjectId, key_version: 1, epoch: 3, wrapped_key: wrapped })).toEqual(subjectKey);
  });

  it('computes the same exact blind index as Candor', () => {
    const key = randomBytes(32);
    expect(exactBlindIndex(key, 'email', 'ada@example.org')).toBe(blindIndex(key, 'email', 'ada@example.org'));
  });

  it("computes the subject's audit pseudonym as Candor does", () => {
    expect(auditPseudonym(subjectKey, 1, tenantId, subjectId)).toBe(subjectPseudonym(pseudonymKeyOf(keys), tenantId, subjectId));
  });
});
