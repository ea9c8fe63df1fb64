import { readFileSync } from 'node:fs';

/*
 * fideslang's taxonomies (data/fideslang/), each loaded once: data categories say what a
 * field holds (catalog, custom fields), data uses say what a purpose does with it.
 */
type TaxonomyEntry = {
  fides_key: string;
  name: string;
  description: string;
  parent_key: string | null;
  version_deprecated: string | null;
  replaced_by: string | null;
};
type Taxonomy = { file: URL; label: string; example: string; entries: Map<string, TaxonomyEntry> | null };

const taxonomy = (file: string, label: string, example: string): Taxonomy => ({
  file: new URL(`../../../data/fideslang/${file}`, import.meta.url),
  label,
  example,
  entries: null,
});

const dataCategories = taxonomy('data_categories.json', 'data category', 'user.contact.email');
const dataUses = taxonomy('data_uses.json', 'data use', 'marketing.communications.email');

function entriesOf(which: Taxonomy): Map<string, TaxonomyEntry> {
  if (!which.entries) {
    const list = JSON.parse(readFileSync(which.file, 'utf8')) as TaxonomyEntry[];
    which.entries = new Map(list.map((entry) => [entry.fides_key, entry]));
  }
  return which.entries;
}

function keyProblem(which: Taxonomy, key: string): string | null {
  const entry = entriesOf(which).get(key);
  const fileName = which.file.pathname.split('/').pop();
  if (!entry) return `not a fideslang ${which.label} key (e.g. ${which.example}); see data/fideslang/${fileName}`;
  if (entry.version_deprecated) return `deprecated in fideslang${entry.replaced_by ? `; use ${entry.replaced_by}` : ''}`;
  return null;
}

/** Why `key` is not a usable fideslang data category, or null when it is one. */
export const dataCategoryProblem = (key: string): string | null => keyProblem(dataCategories, key);

/** Why `key` is not a usable fideslang data use, or null when it is one. */
export const dataUseProblem = (key: string): string | null => keyProblem(dataUses, key);

/** A fideslang data category a field may be declared with: its key, name and description. */
export type DataCategory = { key: string; name: string; description: string; parentKey: string | null };

/** Every usable (not deprecated) fideslang data category, in the taxonomy's order: what a category picker offers. */
export const usableDataCategories = (): DataCategory[] =>
  [...entriesOf(dataCategories).values()]
    .filter((entry) => !entry.version_deprecated)
    .map((entry) => ({ key: entry.fides_key, name: entry.name, description: entry.description, parentKey: entry.parent_key }));
