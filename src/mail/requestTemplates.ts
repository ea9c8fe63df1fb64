import type { OutgoingMail } from './mailer.ts';

/*
 * The mail of data-subject rights requests. The verification mail carries the code and the
 * link (they belong in the e-mail only, never in logs); it says the same whether or not the
 * address is known to the workspace, so reading it tells nobody else anything either.
 */

const baseUrl = (publicUrl: string) => publicUrl.replace(/\/+$/, '');
const kindWords: Record<string, string> = {
  access: 'a copy of your personal data',
  portability: 'your personal data in a portable format',
  rectification: 'the correction of your personal data',
  erasure: 'the erasure of your personal data',
  restriction: 'the restriction of the processing of your personal data',
  objection: 'your objection to the processing of your personal data',
  opt_out_sale_sharing: 'an opt-out of the sale and sharing of your personal information',
  limit_sensitive: 'a limit on the use of your sensitive personal information',
};

export const requestKindWords = (kind: string) => kindWords[kind] ?? 'a privacy request';

export function verifyRequestLink(publicUrl: string, token: string): string {
  return `${baseUrl(publicUrl)}/api/v1/portal/verify?token=${encodeURIComponent(token)}`;
}

export function requestVerificationMail(input: {
  to: string;
  workspaceName: string;
  kind: string;
  code: string;
  token: string;
  publicUrl: string;
  expiresAt: Date;
}): OutgoingMail {
  return {
    to: input.to,
    subject: `Your privacy request to ${input.workspaceName}: confirm your e-mail address`,
    text: [
      `We received a request for ${requestKindWords(input.kind)} from ${input.workspaceName}.`,
      'To confirm that this e-mail address is yours, enter this code where you made the request:',
      '',
      `  ${input.code}`,
      '',
      'or open this link and press the button:',
      verifyRequestLink(input.publicUrl, input.token),
      '',
      `The code and the link work once and expire in 15 minutes (${input.expiresAt
        .toISOString()
        .replace('T', ' ')
        .replace(/\.\d+Z$/, ' UTC')}).`,
      'If you did not make this request, ignore this e-mail: nothing happens without the code.',
    ].join('\n'),
  };
}

export function restrictionLiftedMail(input: { to: string; workspaceName: string; reason: string | null }): OutgoingMail {
  return {
    to: input.to,
    subject: `${input.workspaceName} lifts the restriction of your personal data`,
    text: [
      `You asked ${input.workspaceName} to restrict the processing of your personal data, and it was restricted.`,
      'As the law requires (GDPR Art. 18(3)), we tell you before the restriction is lifted: from now on your data is processed again for the purposes you were told of.',
      ...(input.reason ? ['', `Why: ${input.reason}`] : []),
      '',
      'If you disagree, reply to this e-mail or make a new request.',
    ].join('\n'),
  };
}

/** The confirmation of receipt (CCPA: within 10 business days): when it was received, how it is handled, when the answer is due. */
export function requestReceiptMail(input: {
  to: string;
  workspaceName: string;
  kind: string;
  receivedOn: string;
  respondBy: string;
  verified: boolean;
}): OutgoingMail {
  return {
    to: input.to,
    subject: `${input.workspaceName} received your privacy request`,
    text: [
      `${input.workspaceName} confirms that it received your request for ${requestKindWords(input.kind)} on ${input.receivedOn}.`,
      '',
      input.verified
        ? 'Your identity is verified. We are now finding the personal information the request concerns and will act on it.'
        : 'Before we act on it we verify that the request comes from you, by the e-mail address you gave: we may ask you to confirm it.',
      `You will have our answer by ${input.respondBy}. If we need more time, as the law allows, we will tell you why before that date.`,
      '',
      'If you did not make this request, reply to this e-mail.',
    ].join('\n'),
  };
}

type DeadlineMailCounts = { dueSoon: number; overdue: number; confirmSoon: number; confirmOverdue: number };

export function requestDeadlineMail(input: { to: string; workspaceName: string; publicUrl: string } & DeadlineMailCounts): OutgoingMail {
  const confirmations = input.confirmSoon + input.confirmOverdue > 0;
  return {
    to: input.to,
    subject: confirmations
      ? `${input.workspaceName}: privacy requests to answer or confirm (${input.overdue + input.confirmOverdue} late)`
      : `${input.workspaceName}: ${input.overdue} overdue and ${input.dueSoon} soon-due privacy requests`,
    text: [
      `Privacy requests in ${input.workspaceName} need an answer:`,
      `  overdue: ${input.overdue}`,
      `  due within 7 days: ${input.dueSoon}`,
      ...(confirmations
        ? [
            'Receipt still to be confirmed to the requester (CCPA: within 10 business days):',
            `  past the confirm-by date: ${input.confirmOverdue}`,
            `  confirm-by date within 3 days: ${input.confirmSoon}`,
          ]
        : []),
      '',
      `The queue: ${baseUrl(input.publicUrl)}/api/v1/requests?due=overdue (Candor-Purpose: legal_compliance)`,
      ...(confirmations ? [`To confirm: ${baseUrl(input.publicUrl)}/api/v1/requests?due=unconfirmed`] : []),
    ].join('\n'),
  };
}
