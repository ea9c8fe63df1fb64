import { useMutation, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { api, forPurpose } from '../../api/client.ts';
import { dataOf } from '../../api/problem.ts';

/*
 * The actions a request's state allows (src/privacy/requests/requestStates.ts), as buttons:
 * verify, start and complete at once; extend and deny with the reason the person is sent, and
 * a denial with a code for why (an authorised agent is told it as the Data Rights Protocol's reason).
 * A refusal (409: the state moved on, an extension past its first period, a kind Candor
 * cannot fulfil) is shown beside the buttons in the API's words.
 */

type Action = 'verify' | 'start' | 'extend' | 'complete' | 'deny';
const allowedFrom: Record<Action, string[]> = {
  verify: ['received', 'awaiting_verification'],
  start: ['verified', 'extended'],
  extend: ['verified', 'in_progress'],
  complete: ['verified', 'in_progress', 'extended'],
  deny: ['received', 'awaiting_verification', 'verified', 'in_progress', 'extended'],
};
const labels: Record<Action, string> = { verify: 'Verify', start: 'Start', extend: 'Extend', complete: 'Complete', deny: 'Deny' };
const denialCodes: Array<[string, string]> = [
  ['other', 'Other reason'],
  ['no_match', 'No data matches the person'],
  ['insufficient_verification', 'Identity not verified'],
  ['suspected_fraud', 'Suspected fraud'],
  ['not_covered', 'Not covered by the law'],
  ['outside_jurisdiction', 'Outside the jurisdiction'],
  ['too_many_requests', 'Too many requests'],
];

export function RequestActions({ id, state, kind }: { id: string; state: string; kind: string }) {
  const queryClient = useQueryClient();
  const [reason, setReason] = useState('');
  const [denialCode, setDenialCode] = useState('other');
  const move = useMutation({
    mutationFn: async (action: Action) =>
      dataOf(
        await api.POST(`/api/v1/requests/{id}/${action}`, {
          params: { path: { id } },
          headers: forPurpose('legal_compliance'),
          ...(action === 'extend' ? { body: { reason } } : action === 'deny' ? { body: { reason, code: denialCode } } : {}),
          // biome-ignore lint/suspicious/noExplicitAny: one call for five operations of the same shape.
        } as any),
      ),
    onSuccess: () => queryClient.invalidateQueries({ queryKey: ['requests'] }),
  });
  const allowed = (Object.keys(allowedFrom) as Action[]).filter((action) => allowedFrom[action].includes(state));
  if (allowed.length === 0) return null;
  const needsReason = (action: Action) => (action === 'extend' || action === 'deny') && reason.trim() === '';
  return (
    <div className="request-actions">
      {(allowed.includes('extend') || allowed.includes('deny')) && (
        <input
          aria-label={`Reason for the ${kind.replaceAll('_', ' ')} request`}
          placeholder="Reason (sent to the person)"
          value={reason}
          onChange={(event) => setReason(event.target.value)}
        />
      )}
      {allowed.includes('deny') && (
        <select
          aria-label={`Why the ${kind.replaceAll('_', ' ')} request would be denied`}
          value={denialCode}
          onChange={(event) => setDenialCode(event.target.value)}
        >
          {denialCodes.map(([code, label]) => (
            <option key={code} value={code}>
              {label}
            </option>
          ))}
        </select>
      )}
      {allowed.map((action) => (
        <button key={action} type="button" className="button button-small" disabled={move.isPending || needsReason(action)} onClick={() => move.mutate(action)}>
          {labels[action]}
        </button>
      ))}
      {move.error && <span role="alert">{move.error.message}</span>}
    </div>
  );
}
