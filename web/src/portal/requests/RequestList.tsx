import type { PortalRequest } from '../../api/types.ts';
import { FieldRow } from '../../ui/FieldRow.tsx';
import { formatDate } from '../../ui/format.ts';
import { requestKindWords, requestStateWords, wordsFor } from './requestWords.ts';

/** The person's requests, each with its state, when it came in and when the answer is due (or was given). */
export function RequestList({ requests }: { requests: PortalRequest[] }) {
  return (
    <ul className="plain-list ruled portal-requests" aria-label="Your requests so far">
      {requests.map((request) => (
        <li key={request.id} className="portal-request">
          <p className="portal-request-title">
            <strong>{wordsFor(requestKindWords, request.kind)}</strong> <span className="status">{wordsFor(requestStateWords, request.state)}</span>
          </p>
          <dl className="field-list">
            <FieldRow label="Asked on">{formatDate(request.receivedAt)}</FieldRow>
            {request.closedAt ? (
              <FieldRow label="Closed on">{formatDate(request.closedAt)}</FieldRow>
            ) : (
              <FieldRow label="Answer due by">{formatDate(request.dueAt)}</FieldRow>
            )}
            {request.reason && <FieldRow label="Our reason">{request.reason}</FieldRow>}
          </dl>
        </li>
      ))}
    </ul>
  );
}
