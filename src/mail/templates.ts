import type { OutgoingMail } from './mailer.ts';

// Plain-text account mail. The links carry one-time tokens: they belong in the e-mail
// only, never in logs, so callers pass the built message straight to the mailer.

const baseUrl = (publicUrl: string) => publicUrl.replace(/\/+$/, '');

const formatExpiry = (expiresAt: Date) =>
  expiresAt
    .toISOString()
    .replace('T', ' ')
    .replace(/\.\d+Z$/, ' UTC');

export function acceptInvitationLink(publicUrl: string, token: string): string {
  return `${baseUrl(publicUrl)}/accept-invitation#token=${encodeURIComponent(token)}`;
}

export function resetPasswordLink(publicUrl: string, token: string): string {
  return `${baseUrl(publicUrl)}/reset-password#token=${encodeURIComponent(token)}`;
}

export function confirmConsentLink(publicUrl: string, token: string): string {
  return `${baseUrl(publicUrl)}/api/v1/consents/confirm?token=${encodeURIComponent(token)}`;
}

export function invitationMail(input: { to: string; workspaceName: string; role: string; publicUrl: string; token: string; expiresAt: Date }): OutgoingMail {
  return {
    to: input.to,
    subject: `You are invited to ${input.workspaceName} on Candor`,
    text: [
      `You have been invited to join the workspace "${input.workspaceName}" on Candor with the role ${input.role}.`,
      '',
      'Choose your name and password here:',
      acceptInvitationLink(input.publicUrl, input.token),
      '',
      `The link works once and expires at ${formatExpiry(input.expiresAt)}.`,
      'If you did not expect this invitation, ignore this e-mail.',
    ].join('\n'),
  };
}

export function passwordResetMail(input: { to: string; workspaceName: string; publicUrl: string; token: string; expiresAt: Date }): OutgoingMail {
  return {
    to: input.to,
    subject: `Reset your Candor password for ${input.workspaceName}`,
    text: [
      `Someone asked to reset the password of your account in the workspace "${input.workspaceName}" on Candor.`,
      '',
      'Choose a new password here:',
      resetPasswordLink(input.publicUrl, input.token),
      '',
      `The link works once and expires at ${formatExpiry(input.expiresAt)}. Setting a new password logs you out everywhere.`,
      'If you did not ask for this, ignore this e-mail; your password stays as it is.',
    ].join('\n'),
  };
}

/**
 * The double opt-in e-mail: what the person is asked to confirm, in the purpose's own words,
 * and the one-time link. It carries no marketing itself (it only asks).
 */
export function doubleOptInMail(input: {
  to: string;
  workspaceName: string;
  purposeDescription: string;
  publicUrl: string;
  token: string;
  expiresAt: Date;
}): OutgoingMail {
  return {
    to: input.to,
    subject: `Please confirm: e-mail from ${input.workspaceName}`,
    text: [
      `We were asked to send you e-mail from ${input.workspaceName} for this purpose:`,
      '',
      `  ${input.purposeDescription}`,
      '',
      'We will only do so if you confirm it yourself. To confirm, open this link and press the button:',
      confirmConsentLink(input.publicUrl, input.token),
      '',
      `The link works once and expires at ${formatExpiry(input.expiresAt)}.`,
      'If you did not ask for this, ignore this e-mail: you will not hear from us for this purpose.',
    ].join('\n'),
  };
}
