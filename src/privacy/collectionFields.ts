import type { WorkspaceDeclaration } from '../kernel/index.ts';
import { personalFieldByApiName } from '../shared/contactFieldNames.ts';
import type { FieldIssue } from '../shared/domainError.ts';

/*
 * Which of a form's fields may be stored (data minimisation at the door): a field is
 * storable when the catalog declares it for at least one purpose whose basis holds for
 * this submission — a purpose on another basis that the form key serves, or a consent
 * purpose the person consents to in the same request. Every other field is unneeded: the
 * key's choice refuses the submission (422 naming each) or drops it and says so.
 */

/** The stored name of a form field: built-in fields by their API names, custom fields by their keys. */
export const storedFieldName = (name: string): string => (personalFieldByApiName as Record<string, string>)[name] ?? name;

export type FieldVerdict = {
  /** Storable fields by stored name, each with the held purposes it is declared for (in the order purposes were given). */
  storable: Map<string, string[]>;
  /** The unneeded ones, named fields.<name>, with why. */
  unneeded: FieldIssue[];
};

export function judgeFields(fieldNames: readonly string[], declarations: readonly WorkspaceDeclaration[], heldPurposes: readonly string[]): FieldVerdict {
  const contactFields = new Map(
    declarations.filter((entry) => entry.declaration.object === 'contact').map((entry) => [entry.declaration.field, entry.declaration.purposes]),
  );
  const storable = new Map<string, string[]>();
  const unneeded: FieldIssue[] = [];
  for (const name of fieldNames) {
    const declaredFor = contactFields.get(storedFieldName(name));
    if (!declaredFor) {
      unneeded.push({ field: `fields.${name}`, reason: 'not declared in the data catalog for contact' });
      continue;
    }
    const held = heldPurposes.filter((purpose) => declaredFor.includes(purpose));
    if (held.length === 0) {
      unneeded.push({ field: `fields.${name}`, reason: 'not declared for a purpose this form serves or the person consents to here' });
      continue;
    }
    storable.set(storedFieldName(name), held);
  }
  return { storable, unneeded };
}

/**
 * Splits the storable fields into writes, one purpose each, so every write is one the kernel
 * allows: the purpose that covers the e-mail address first (it finds or creates the
 * contact), then the fewest others covering the rest.
 */
export function writesByPurpose(storable: ReadonlyMap<string, string[]>): Array<{ purposeKey: string; fields: string[] }> {
  const writes: Array<{ purposeKey: string; fields: string[] }> = [];
  const left = new Map(storable);
  const take = (purposeKey: string) => {
    const fields = [...left].filter(([, purposes]) => purposes.includes(purposeKey)).map(([field]) => field);
    for (const field of fields) left.delete(field);
    writes.push({ purposeKey, fields });
  };
  const emailPurpose = storable.get('email')?.[0];
  if (emailPurpose) take(emailPurpose);
  while (left.size > 0) {
    // The purpose declared for the most fields still left.
    const counts = new Map<string, number>();
    for (const purposes of left.values()) for (const purpose of purposes) counts.set(purpose, (counts.get(purpose) ?? 0) + 1);
    take([...counts].sort((a, b) => b[1] - a[1])[0][0]);
  }
  return writes;
}
