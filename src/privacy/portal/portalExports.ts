import type { Database } from '../../db/connection.ts';
import type { AccessExportFormat } from '../accessExports/accessExportFormats.ts';
import { createAccessExportLink, type AccessExportLink } from '../accessExports/accessExportLinks.ts';
import { createAccessExport, listAccessExports, type AccessExportView } from '../accessExports/accessExports.ts';
import { portalSelfContext } from './portalContext.ts';
import type { PortalPerson } from './portalPerson.ts';
import { unknownPerson } from './portalRefusals.ts';

/*
 * Copies of everything held on a person signed in to the privacy portal (GDPR Art. 15 and
 * 20): the access exports staff make (src/privacy/accessExports/), asked for by the person
 * themselves under dsr_fulfilment, with the same single-use download links. Only the
 * person's own exports are listed or linked; an address nobody holds has nothing to copy.
 */

export type PortalExportView = Pick<AccessExportView, 'id' | 'format' | 'status' | 'progress' | 'createdAt' | 'expiresAt'>;

const portalExportView = (view: AccessExportView): PortalExportView => ({
  id: view.id,
  format: view.format,
  status: view.status,
  progress: view.progress,
  createdAt: view.createdAt,
  expiresAt: view.expiresAt,
});

export async function requestPortalExport(
  database: Database,
  tenantId: string,
  person: PortalPerson,
  format: AccessExportFormat,
  controllerUrl: string,
): Promise<PortalExportView> {
  if (person.contactId === null) throw unknownPerson('format');
  return portalExportView(await createAccessExport(database, portalSelfContext(tenantId), person.contactId, format, { controllerUrl }));
}

export async function listPortalExports(database: Database, tenantId: string, person: PortalPerson): Promise<PortalExportView[]> {
  if (person.contactId === null) return [];
  return (await listAccessExports(database.db, tenantId, person.contactId)).map(portalExportView);
}

/** A single-use link to one of the person's ready exports (404 for another's, 409 while not ready). */
export async function createPortalExportLink(database: Database, tenantId: string, person: PortalPerson, exportId: string): Promise<AccessExportLink> {
  if (person.contactId === null) throw unknownPerson('exportId');
  return createAccessExportLink(database, portalSelfContext(tenantId), person.contactId, exportId);
}
