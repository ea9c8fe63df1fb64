import type { SubjectAccess } from '../../kernel/index.ts';
import type { Art15Context } from './art15Context.ts';

/** What every form of an access export holds: the subject's records and the Art. 15 context. */
export type AccessExportDocument = {
  /** Names the layout, so a program reading the file knows what it holds. */
  format: 'candor.access-export/1';
  generatedAt: string;
  context: Art15Context;
  subject: SubjectAccess;
};

export function accessExportDocument(subject: SubjectAccess, context: Art15Context, generatedAt: Date): AccessExportDocument {
  return { format: 'candor.access-export/1', generatedAt: generatedAt.toISOString(), context, subject };
}
