import type { PurposeNotice } from '../../api/types.ts';
import { formatDateTime } from '../../ui/format.ts';
import { SimpleTable } from '../../ui/SimpleTable.tsx';

const statusLabels: Record<PurposeNotice['status'], string> = { draft: 'Draft', published: 'Published', retired: 'Retired' };

/** Every version of a purpose's notice with its state, dates, readability and hash (the one consents record). */
export function NoticeVersions({ versions }: { versions: PurposeNotice[] }) {
  return (
    <section className="panel" aria-labelledby="notice-versions-heading">
      <h2 id="notice-versions-heading">Versions</h2>
      <SimpleTable
        labelledBy="notice-versions-heading"
        columns={[
          { label: 'Version', numeric: true },
          { label: 'State' },
          { label: 'Title' },
          { label: 'Published' },
          { label: 'Renew by' },
          { label: 'Reading ease', numeric: true },
          { label: 'Hash' },
        ]}
      >
        {versions.map((notice) => (
          <tr key={notice.version}>
            <td className="numeric">{notice.version}</td>
            <td>
              {statusLabels[notice.status]}
              {notice.material ? ', material' : ''}
            </td>
            <td>{notice.title}</td>
            <td>{notice.publishedAt ? formatDateTime(notice.publishedAt) : '—'}</td>
            <td>{notice.renewBy ? formatDateTime(notice.renewBy) : '—'}</td>
            <td className="numeric">{notice.readability ? Math.round(notice.readability.readingEase) : '—'}</td>
            <td>
              <code title={notice.contentHash}>{notice.contentHash.slice(0, 12)}…</code>
            </td>
          </tr>
        ))}
      </SimpleTable>
    </section>
  );
}
