import { api, forPurpose } from '../api/client.ts';
import { dataOf } from '../api/problem.ts';

// An export is downloaded through the typed client (it needs the session, the purpose header
// and the API's refusals like every call), then handed to the browser as a file from a Blob
// URL. A download is not a fetch or a document load, so the CSP's default-src does not
// govern it: no blob: source needs allowing (the browser tests check that nothing is blocked).

export type ExportObject = 'contacts' | 'companies';

export async function downloadExport(purpose: string, object: ExportObject): Promise<void> {
  const options = { headers: forPurpose(purpose), parseAs: 'blob' as const };
  const file =
    object === 'contacts' ? dataOf(await api.GET('/api/v1/exports/contacts.csv', options)) : dataOf(await api.GET('/api/v1/exports/companies.csv', options));
  const url = URL.createObjectURL(file);
  try {
    const link = document.createElement('a');
    link.href = url;
    link.download = `${object}-${purpose}.csv`;
    link.click();
  } finally {
    // The click has handed the file to the download already; the page keeps no copy.
    setTimeout(() => URL.revokeObjectURL(url), 0);
  }
}
