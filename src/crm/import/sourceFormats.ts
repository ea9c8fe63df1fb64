import { type ImportObject, normalizeHeader } from './columnMapping.ts';

// The exports Candor recognises by their header rows, so a mapping screen can say which
// preset its automatic mapping followed ("a HubSpot contact export"). The headers that
// identify a format are ones only that system writes; the mapping itself is mapHeaders's,
// whose alias lists hold these systems' headers (columnMapping.ts).

export const sourceFormats = ['hubspot', 'salesforce', 'candor'] as const;
export type SourceFormat = (typeof sourceFormats)[number];

const signatureHeaders: Record<SourceFormat, Record<ImportObject, readonly string[]>> = {
  hubspot: {
    contact: ['Record ID', 'Create Date', 'Lifecycle Stage', 'Contact owner', 'Country/Region', 'Associated Company'],
    company: ['Record ID', 'Create Date', 'Company Domain Name', 'Company name', 'Country/Region', 'Number of Employees'],
  },
  salesforce: {
    contact: ['Contact ID', 'Account Name', 'Mailing City', 'Mailing Country', 'Created Date', 'Mobile'],
    company: ['Account ID', 'Account Name', 'Billing City', 'Billing Country', 'Created Date', 'Employees'],
  },
  candor: {
    contact: ['firstName', 'lastName', 'jobTitle', 'companyName', 'ownerEmail', 'lifecycleStage', 'createdAt'],
    company: ['employeeCount', 'annualRevenue', 'externalId', 'createdAt'],
  },
};

/** Candor's own export headers are camelCase: compared with case kept, as normalising would match every snake_case file. */
const matches = (format: SourceFormat, header: string, signature: string) =>
  format === 'candor' ? header.trim() === signature : normalizeHeader(header) === normalizeHeader(signature);

/** The system whose export this header row most looks like (two of its identifying headers at least), or null. */
export function detectSourceFormat(object: ImportObject, headers: readonly string[]): SourceFormat | null {
  let best: { format: SourceFormat; hits: number } | null = null;
  for (const format of sourceFormats) {
    const hits = signatureHeaders[format][object].filter((signature) => headers.some((header) => matches(format, header, signature))).length;
    if (hits >= 2 && (best === null || hits > best.hits)) best = { format, hits };
  }
  return best?.format ?? null;
}
