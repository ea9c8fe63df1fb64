import { marketingMailHeaders } from '../unsubscribeLinks.ts';

/*
 * One campaign message to one person: the campaign's text with the visible one-click
 * unsubscribe line at its end (and a link in the HTML part, when there is one), and the RFC
 * 8058 List-Unsubscribe and List-Unsubscribe-Post headers naming that person's own link.
 */

export type CampaignMessage = { to: string; subject: string; text: string; html?: string; headers: Readonly<Record<string, string>> };

const escapeHtml = (text: string) => text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');

export async function campaignMessage(
  campaign: { tenantId: string; purposeKey: string; subject: string; textBody: string; htmlBody: string | null },
  recipient: { contactId: string; email: string },
  publicUrl: string,
): Promise<CampaignMessage> {
  const marketing = await marketingMailHeaders(campaign.tenantId, recipient.contactId, campaign.purposeKey, publicUrl);
  const html = campaign.htmlBody
    ? `${campaign.htmlBody}\n<p style="font-size:small"><a href="${escapeHtml(marketing.unsubscribeUrl)}">Unsubscribe from these e-mails with one click</a></p>`
    : undefined;
  return {
    to: recipient.email,
    subject: campaign.subject,
    text: `${campaign.textBody.replace(/\s+$/, '')}\n\n-- \n${marketing.footer}\n`,
    ...(html ? { html } : {}),
    headers: marketing.headers,
  };
}
