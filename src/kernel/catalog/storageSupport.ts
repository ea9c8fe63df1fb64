import type { CatalogObject, FieldDeclaration } from './fieldDeclaration.ts';

/*
 * What the storage behind the catalog can actually do, so a declaration never promises
 * more than the vault delivers. Every personal value is sealed (AES-256-GCM under the
 * subject's key); blind indexes are computed by src/kernel/lookupTokens.ts for a fixed set
 * of identifying fields, which also need them (duplicate detection, tracking, search).
 */
type IndexSupport = { lookup: boolean; search: boolean };

const indexedFields: Partial<Record<CatalogObject, Record<string, IndexSupport>>> = {
  contact: {
    email: { lookup: true, search: false },
    phone: { lookup: true, search: false },
    first_name: { lookup: false, search: true },
    last_name: { lookup: false, search: true },
  },
  visitor: { anonymous_id: { lookup: true, search: false } },
};

const unindexed: IndexSupport = { lookup: false, search: false };

/** The indexes the storage keeps for a field: fixed per field, neither added nor dropped. */
export const storedIndexes = (object: CatalogObject, field: string): IndexSupport => indexedFields[object]?.[field] ?? unindexed;

type StorageSetting = 'encrypted' | 'lookup' | 'search';

/** Why the storage cannot honour a declaration's encrypted/lookup/search, per setting; empty when it can. */
export function storageProblems(declaration: Pick<FieldDeclaration, 'object' | 'field' | StorageSetting>): Array<{ setting: StorageSetting; reason: string }> {
  const problems: Array<{ setting: StorageSetting; reason: string }> = [];
  const name = `${declaration.object}.${declaration.field}`;
  if (!declaration.encrypted) {
    problems.push({ setting: 'encrypted', reason: "the vault encrypts every personal value under its subject's key; no field is stored in plaintext" });
  }
  const kept = storedIndexes(declaration.object, declaration.field);
  for (const setting of ['lookup', 'search'] as const) {
    if (declaration[setting] === kept[setting]) continue;
    const kind = setting === 'lookup' ? 'exact-match blind index' : 'name-prefix blind index';
    problems.push({
      setting,
      reason: kept[setting]
        ? `${name} keeps its ${kind}: Candor finds and de-duplicates records by it`
        : `the vault keeps no ${kind} for ${name} (only ${indexList(setting)})`,
    });
  }
  return problems;
}

function indexList(setting: 'lookup' | 'search'): string {
  return Object.entries(indexedFields)
    .flatMap(([object, fields]) =>
      Object.entries(fields ?? {})
        .filter(([, support]) => support[setting])
        .map(([field]) => `${object}.${field}`),
    )
    .join(', ');
}
