import { describe, expect, it } from 'vitest';
import { defaultCatalogDeclarations } from './defaultCatalog.ts';
import { catalogProblems, type FieldDeclaration } from './fieldDeclaration.ts';
import { dataCategoryProblem, dataUseProblem } from './fideslang.ts';
import { isSpecialCategory, specialCategoryRoots } from './specialCategories.ts';
import { settingsDiff } from './settingsDiff.ts';
import { storageProblems } from './storageSupport.ts';
import { customFieldDeclaration } from './workspaceCatalog.ts';

describe('special categories', () => {
  it('names only keys that exist in the fideslang taxonomy', () => {
    expect(specialCategoryRoots.filter((root) => dataCategoryProblem(root) !== null)).toEqual([]);
  });

  it('counts a special key and the keys below it, and nothing that merely shares a prefix', () => {
    expect(isSpecialCategory('user.health_and_medical')).toBe(true);
    expect(isSpecialCategory('user.health_and_medical.genetic')).toBe(true);
    expect(isSpecialCategory('user.biometric.fingerprint')).toBe(true);
    expect(isSpecialCategory('user.demographic.religious_belief')).toBe(true);
    expect(isSpecialCategory('user.demographic.profile')).toBe(false);
    expect(isSpecialCategory('user.contact.email')).toBe(false);
    expect(isSpecialCategory('user.biometricish')).toBe(false);
  });

  it('declares a custom field of a special category as special and refuses to call one ordinary', () => {
    const declaration = customFieldDeclaration('blood_type', 'user.health_and_medical');
    expect(declaration.sensitivity).toBe('special');
    expect(catalogProblems([declaration])).toEqual([]);
    expect(catalogProblems([{ ...declaration, sensitivity: 'ordinary' }]).map((issue) => issue.reason)).toEqual([
      'sensitivity: user.health_and_medical is a GDPR Art. 9 special category, so the field is special',
    ]);
  });
});

describe('storage support', () => {
  it('accepts every built-in declaration as the vault stores it', () => {
    expect(defaultCatalogDeclarations.flatMap((declaration) => storageProblems(declaration))).toEqual([]);
    expect(storageProblems(customFieldDeclaration('shoe_size', 'user.demographic.profile'))).toEqual([]);
  });

  it('refuses plaintext, a dropped identifying index and an index the vault does not keep', () => {
    const email = defaultCatalogDeclarations.find((declaration) => declaration.field === 'email')!;
    const city: FieldDeclaration = defaultCatalogDeclarations.find((declaration) => declaration.field === 'city')!;
    expect(storageProblems({ ...email, encrypted: false, lookup: false }).map((problem) => problem.setting)).toEqual(['encrypted', 'lookup']);
    expect(storageProblems({ ...city, search: true })).toEqual([
      { setting: 'search', reason: 'the vault keeps no name-prefix blind index for contact.city (only contact.first_name, contact.last_name)' },
    ]);
  });
});

describe('fideslang data uses', () => {
  it('accepts a data use from the taxonomy and refuses one that is not', () => {
    expect(dataUseProblem('marketing.communications.email')).toBeNull();
    expect(dataUseProblem('essential.service.operations.support')).toBeNull();
    expect(dataUseProblem('marketing.telepathy')).toMatch(/not a fideslang data use key/);
  });
});

describe('settings diff', () => {
  it('records the before and after of each changed setting only', () => {
    const before = { purposes: ['sales'], lookup: true, dataCategory: 'user.contact.email' };
    const after = { purposes: ['sales', 'support'], lookup: true, dataCategory: 'user.contact.email' };
    expect(settingsDiff(before, after, ['purposes', 'lookup', 'dataCategory'])).toEqual({
      changed: ['purposes'],
      detail: { changed: ['purposes'], purposesBefore: ['sales'], purposesAfter: ['sales', 'support'] },
    });
  });
});
