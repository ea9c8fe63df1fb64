import type { OutgoingMail } from './mailer.ts';

/*
 * The sign-in mail of the customer privacy portal: the code only (no link, so a mail
 * scanner opening links signs no one in). It says the same whether or not the address is
 * known to the workspace.
 */

export function portalSignInMail(input: { to: string; workspaceName: string; code: string; expiresAt: Date }): OutgoingMail {
  return {
    to: input.to,
    subject: `Your sign-in code for the privacy portal of ${input.workspaceName}`,
    text: [
      `Someone asked to sign in to the privacy portal of ${input.workspaceName} with this e-mail address.`,
      'To see and manage what is held on you, enter this code in the portal:',
      '',
      `  ${input.code}`,
      '',
      `The code works once and expires in 15 minutes (${input.expiresAt
        .toISOString()
        .replace('T', ' ')
        .replace(/\.\d+Z$/, ' UTC')}).`,
      'If you did not ask to sign in, ignore this e-mail: nothing happens without the code.',
    ].join('\n'),
  };
}
