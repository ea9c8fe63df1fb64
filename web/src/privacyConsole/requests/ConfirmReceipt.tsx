import { useMutation, useQueryClient } from '@tanstack/react-query';
import { api, forPurpose } from '../../api/client.ts';
import { dataOf } from '../../api/problem.ts';
import { daysLeft } from './daysLeft.ts';

type ConfirmReceiptProps = {
  id: string;
  kind: string;
  /** The confirm-by date (CCPA), null where the law asks for none. */
  acknowledgeBy: string | null;
  acknowledgedAt: string | null;
  confirmationOverdue: boolean;
  closed: boolean;
};

/*
 * A request's confirmation of receipt in the queue (CCPA: 10 business days): the confirm-by
 * date with the days left, or when it was confirmed; and, while it is still to do, the button
 * that mails the requester the confirmation (POST /requests/{id}/confirm-receipt).
 */
export function ConfirmReceipt({ id, kind, acknowledgeBy, acknowledgedAt, confirmationOverdue, closed }: ConfirmReceiptProps) {
  const queryClient = useQueryClient();
  const confirm = useMutation({
    mutationFn: async () =>
      dataOf(await api.POST('/api/v1/requests/{id}/confirm-receipt', { params: { path: { id } }, headers: forPurpose('legal_compliance') })),
    onSuccess: () => queryClient.invalidateQueries({ queryKey: ['requests'] }),
  });
  if (acknowledgeBy === null) return <>—</>;
  if (acknowledgedAt !== null) return <>Confirmed {acknowledgedAt.slice(0, 10)}</>;
  if (closed) return <>Answered</>;
  const left = daysLeft(acknowledgeBy, new Date());
  return (
    <div className="request-actions">
      <span className={confirmationOverdue ? 'overdue' : undefined}>
        By {acknowledgeBy} ({confirmationOverdue ? 'late' : `${left} ${left === 1 ? 'day' : 'days'} left`})
      </span>
      <button
        type="button"
        className="button button-small"
        disabled={confirm.isPending}
        onClick={() => confirm.mutate()}
        aria-label={`Confirm receipt of the ${kind.replaceAll('_', ' ')} request`}
      >
        Confirm receipt
      </button>
      {confirm.error && <span role="alert">{confirm.error.message}</span>}
    </div>
  );
}
