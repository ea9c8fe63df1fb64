import { describe, expect, it } from 'vitest';
import { e2eServer } from './support/e2eServer.ts';
import { expectCandorOnly } from './support/pageRules.ts';
import { checkScreen } from './support/screenshots.ts';
import { signedInFile } from './support/signedInFile.ts';
import { callAsStaff, staffSession } from './support/staffSession.ts';

// The CCPA confirmation of receipt in the privacy console's request queue: the confirm-by
// date with its days left, the requests still to confirm, and the button that mails it.

const file = signedInFile('privacy_officer', 'Sales');

type RequestView = { id: string; acknowledgeBy: string; acknowledgedAt: string | null; events?: Array<{ action: string }> };

describe('confirming receipt from the request queue', () => {
  it('lists a CCPA request with its confirm-by date among those to confirm, and confirms it by mail to the requester', async () => {
    const session = await staffSession('privacy_officer');
    const email = `confirm.${Date.now()}@example.org`;
    const created = await callAsStaff(session, '/api/v1/requests', 'legal_compliance', { kind: 'access', regime: 'ccpa', jurisdiction: 'US-CA', email });
    expect(created.status).toBe(201);
    const request = ((await created.json()) as { data: RequestView }).data;

    const { page } = file.user;
    await page.goto(`${e2eServer().url}/privacy/requests`);
    await page.getByRole('heading', { level: 1, name: 'Rights requests' }).waitFor();
    await page.getByLabel('Show').selectOption('unconfirmed');
    const row = page
      .getByRole('table', { name: 'Queue' })
      .getByRole('row')
      .filter({ hasText: `By ${request.acknowledgeBy}` })
      .first();
    await row.waitFor();
    expect(await row.textContent()).toContain('CCPA');
    await checkScreen(page, 'requests-to-confirm', { fullPage: true });

    await row.getByRole('button', { name: 'Confirm receipt of the access request' }).click();
    await expect
      .poll(
        async () =>
          ((await (await callAsStaff(session, `/api/v1/requests/${request.id}`, 'legal_compliance')).json()) as { data: RequestView }).data.acknowledgedAt,
      )
      .not.toBeNull();
    const read = ((await (await callAsStaff(session, `/api/v1/requests/${request.id}`, 'legal_compliance')).json()) as { data: RequestView }).data;
    expect(read.events?.map((event) => event.action)).toContain('confirm_receipt');
    const mailbox = (await (await fetch(`${e2eServer().url}/dev/mail.json`)).json()) as { data: Array<{ to: string; subject: string }> };
    expect(mailbox.data.filter((mail) => mail.to === email).map((mail) => mail.subject)).toEqual([expect.stringMatching(/received your privacy request$/)]);

    await page.getByLabel('Show').selectOption('all');
    const confirmedRow = page.getByRole('table', { name: 'Queue' }).getByRole('row').filter({ hasText: 'Confirmed ' }).first();
    await confirmedRow.waitFor();
  });

  it('asked nothing of another origin, came with the strict CSP, and broke none of its rules', () => {
    expectCandorOnly(file.user, e2eServer().url);
  });
});
