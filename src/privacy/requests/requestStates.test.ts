import { describe, expect, it } from 'vitest';
import { DomainError, domainErrorThrownBy } from '../../shared/domainError.ts';
import type { RequestDeadlines } from './deadlines.ts';
import { type RequestAction, type RequestState, requestTransition } from './requestStates.ts';

const gdpr: RequestDeadlines = {
  receivedOn: '2026-03-05',
  acknowledgeBy: null,
  respondBy: '2026-04-07',
  extensionNoticeBy: '2026-04-07',
  extendedRespondBy: '2026-06-05',
};
const optOut: RequestDeadlines = { receivedOn: '2026-12-18', acknowledgeBy: null, respondBy: '2027-01-12', extensionNoticeBy: null, extendedRespondBy: null };

function move(
  state: RequestState,
  action: RequestAction,
  extra: { reason?: string; today?: string; wasExtended?: boolean; deadlines?: RequestDeadlines } = {},
) {
  return requestTransition({
    state,
    action,
    wasExtended: extra.wasExtended ?? false,
    reason: extra.reason,
    today: extra.today ?? '2026-03-10',
    deadlines: extra.deadlines ?? gdpr,
  });
}

describe('a rights request', () => {
  it('goes from receipt through verification and work to completion', () => {
    let state: RequestState = 'received';
    for (const [action, expected] of [
      ['send_verification', 'awaiting_verification'],
      ['verify', 'verified'],
      ['start', 'in_progress'],
      ['extend', 'extended'],
      ['start', 'in_progress'],
      ['complete', 'completed'],
    ] as const) {
      state = move(state, action, { reason: action === 'extend' ? 'the export spans many systems' : undefined });
      expect(state).toBe(expected);
    }
  });

  it('stays final once completed or denied', () => {
    for (const state of ['completed', 'denied'] as const) {
      for (const action of ['verify', 'start', 'complete', 'deny'] as const) {
        expect(domainErrorThrownBy(() => move(state, action, { reason: 'x' })).code).toBe('conflict');
      }
    }
  });

  it('cannot be worked on before the identity is verified', () => {
    expect(domainErrorThrownBy(() => move('awaiting_verification', 'start')).code).toBe('conflict');
    expect(domainErrorThrownBy(() => move('received', 'complete')).code).toBe('conflict');
  });

  it('is denied or extended only with a reason', () => {
    expect(domainErrorThrownBy(() => move('in_progress', 'deny', { reason: '  ' })).issues).toEqual([
      { field: 'reason', reason: 'is required to deny: the person is told why' },
    ]);
    expect(domainErrorThrownBy(() => move('in_progress', 'extend')).issues[0]?.field).toBe('reason');
    expect(move('awaiting_verification', 'deny', { reason: 'the identity could not be verified' })).toBe('denied');
  });

  it('is extended once, within the first period, where the regime allows it', () => {
    expect(move('in_progress', 'extend', { reason: 'complex', today: '2026-04-07' })).toBe('extended');
    expect(domainErrorThrownBy(() => move('in_progress', 'extend', { reason: 'complex', today: '2026-04-08' })).message).toContain('by 2026-04-07');
    expect(domainErrorThrownBy(() => move('in_progress', 'extend', { reason: 'complex', wasExtended: true })).message).toContain('only once');
    expect(domainErrorThrownBy(() => move('in_progress', 'extend', { reason: 'complex', deadlines: optOut })).message).toContain('cannot be extended');
  });

  it('says what cannot be done in a domain error with the state and the action', () => {
    const error = domainErrorThrownBy(() => move('completed', 'start'));
    expect(error).toBeInstanceOf(DomainError);
    expect(error.detail).toEqual({ state: 'completed', action: 'start' });
  });
});
