import { DomainError, invalid } from '../../shared/domainError.ts';
import type { CalendarDate } from './calendarDates.ts';
import type { RequestDeadlines } from './deadlines.ts';

export const requestStates = ['received', 'awaiting_verification', 'verified', 'in_progress', 'extended', 'completed', 'denied', 'withdrawn'] as const;
export type RequestState = (typeof requestStates)[number];

export const requestActions = ['send_verification', 'verify', 'start', 'extend', 'complete', 'deny', 'withdraw'] as const;
export type RequestAction = (typeof requestActions)[number];

/** Why a request was denied, as a code beside the reason's words (the Data Rights Protocol's reasons map onto these). */
export const denialCodes = [
  'suspected_fraud',
  'insufficient_verification',
  'no_match',
  'not_covered',
  'outside_jurisdiction',
  'too_many_requests',
  'other',
] as const;
export type DenialCode = (typeof denialCodes)[number];

const openStates: readonly RequestState[] = ['received', 'awaiting_verification', 'verified', 'in_progress', 'extended'];

const nextStateOf: Record<RequestAction, { to: RequestState; from: readonly RequestState[] }> = {
  send_verification: { to: 'awaiting_verification', from: ['received', 'awaiting_verification'] },
  // Staff and authorised agents may enter a request whose identity is already established.
  verify: { to: 'verified', from: ['received', 'awaiting_verification'] },
  start: { to: 'in_progress', from: ['verified', 'extended'] },
  extend: { to: 'extended', from: ['verified', 'in_progress'] },
  complete: { to: 'completed', from: ['verified', 'in_progress', 'extended'] },
  deny: { to: 'denied', from: openStates },
  // The person (or the agent acting for them) takes the request back while it is open.
  withdraw: { to: 'withdrawn', from: openStates },
};

export type TransitionInput = {
  state: RequestState;
  /** Whether the request was extended before: the law allows one extension. */
  wasExtended: boolean;
  action: RequestAction;
  /** Required to deny or extend: the person is told why. */
  reason?: string;
  /** Today in the jurisdiction's calendar, to check the extension is noticed in time. */
  today: CalendarDate;
  deadlines: RequestDeadlines;
};

/**
 * The state a rights request moves to, or why it cannot. Completed, denied and withdrawn
 * requests are final; a denial and an extension carry their reasons; an extension is allowed once, where
 * the regime allows one, and only while the first period runs.
 */
export function requestTransition(input: TransitionInput): RequestState {
  const rule = nextStateOf[input.action];
  if (!rule.from.includes(input.state)) {
    throw new DomainError('conflict', `A request that is ${input.state.replaceAll('_', ' ')} cannot be moved by "${input.action}".`, [], {
      state: input.state,
      action: input.action,
    });
  }
  const reason = input.reason?.trim() ?? '';
  if ((input.action === 'deny' || input.action === 'extend') && reason === '')
    throw invalid('reason', `is required to ${input.action}: the person is told why`);
  if (input.action === 'extend') {
    if (input.wasExtended) throw new DomainError('conflict', 'A request can be extended only once.');
    const { extensionNoticeBy, extendedRespondBy } = input.deadlines;
    if (extensionNoticeBy === null || extendedRespondBy === null)
      throw new DomainError('conflict', 'This kind of request cannot be extended under its regime.');
    if (input.today > extensionNoticeBy) throw new DomainError('conflict', `The extension had to be sent by ${extensionNoticeBy}, within the first period.`);
  }
  return rule.to;
}
