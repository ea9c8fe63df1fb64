import { Button } from 'react-aria-components';
import { formatDateTime } from '../../ui/format.ts';
import { useAccessExportLink } from './useAccessExports.ts';

/** A ready export's "Get a download link": the link for the person, which works once and for 15 minutes. */
export function AccessExportLink({ contactId, exportId, fileName }: { contactId: string; exportId: string; fileName: string }) {
  const link = useAccessExportLink(contactId, exportId);
  if (link.data) {
    return (
      <span className="access-export-cell">
        <a href={link.data.url} download={fileName}>
          Download {fileName}
        </a>
        <span className="muted">Works once, until {formatDateTime(link.data.expiresAt)}.</span>
      </span>
    );
  }
  return (
    <>
      <Button className="button button-small" isPending={link.isPending} onPress={() => link.mutate()} aria-label={`Get a download link for ${fileName}`}>
        Get a download link
      </Button>
      {link.error && <span role="alert">{link.error.message}</span>}
    </>
  );
}
