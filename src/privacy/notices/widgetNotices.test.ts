import { describe, expect, it } from 'vitest';
import { toWidgetNotices, widgetSubmissionIssues } from './widgetNotices.ts';

const row = (purposeKey: string, dataUse: string) => ({
  purposeKey,
  dataUse,
  version: 3,
  title: `About ${purposeKey}`,
  language: 'en',
  bodyMarkdown: '# Why\n\nWe **count** visits. See [our page](https://example.org).',
});

describe('what the widget shows', () => {
  it('gives each notice as plain text and says whether GPC covers the purpose', () => {
    expect(toWidgetNotices([row('web_analytics', 'analytics.reporting'), row('targeted_advertising', 'marketing.advertising.third_party.targeted')])).toEqual([
      { purposeKey: 'web_analytics', version: 3, title: 'About web_analytics', language: 'en', text: 'Why\nWe count visits. See our page.', gpcCovered: false },
      {
        purposeKey: 'targeted_advertising',
        version: 3,
        title: 'About targeted_advertising',
        language: 'en',
        text: 'Why\nWe count visits. See our page.',
        gpcCovered: true,
      },
    ]);
  });

  it('leaves e-mail marketing out: that consent is given by double opt-in only', () => {
    expect(toWidgetNotices([row('email_marketing', 'marketing.communications.email'), row('news', 'marketing.communications.email.newsletter')])).toEqual([]);
  });
});

describe("the widget's submission rules", () => {
  const shown = new Set(['web_analytics']);

  it('accepts a visitor choosing among the purposes shown, each under a notice version', () => {
    expect(widgetSubmissionIssues({ fields: {}, visitorId: 'v', consents: [{ purposeKey: 'web_analytics', given: true, noticeVersion: 1 }] }, shown)).toEqual(
      [],
    );
  });

  it('names every field it may not send', () => {
    expect(
      widgetSubmissionIssues(
        {
          fields: { email: 'x' },
          consents: [
            { purposeKey: 'email_marketing', given: true, noticeVersion: 1 },
            { purposeKey: 'web_analytics', given: true },
          ],
        },
        shown,
      ).map((issue) => issue.field),
    ).toEqual(['visitorId', 'fields.email', 'consents.0.purposeKey', 'consents.1.noticeVersion']);
  });
});
