import { readFileSync } from 'node:fs';

// fideslang's data category taxonomy (data/fideslang/data_categories.json), loaded once.
// Built-in catalog entries and custom fields (src/crm/customFields) both validate here.
type FideslangCategory = { fides_key: string; version_deprecated: string | null; replaced_by: string | null };

const categoriesFile = new URL('../../../data/fideslang/data_categories.json', import.meta.url);
let categories: Map<string, FideslangCategory> | null = null;

function loadCategories(): Map<string, FideslangCategory> {
  if (!categories) {
    const list = JSON.parse(readFileSync(categoriesFile, 'utf8')) as FideslangCategory[];
    categories = new Map(list.map((category) => [category.fides_key, category]));
  }
  return categories;
}

/** Why `key` is not a usable fideslang data category, or null when it is one. */
export function dataCategoryProblem(key: string): string | null {
  const category = loadCategories().get(key);
  if (!category) return 'not a fideslang data category key (e.g. user.contact.email); see data/fideslang/data_categories.json';
  if (category.version_deprecated) return `deprecated in fideslang${category.replaced_by ? `; use ${category.replaced_by}` : ''}`;
  return null;
}
