import { and, asc, eq } from 'drizzle-orm';
import type { Executor } from '../../db/connection.ts';
import { purposeNotices, purposes } from '../../db/schema/index.ts';
import type { FieldIssue } from '../../shared/domainError.ts';
import { isEmailMarketing } from '../collectionConsents.ts';
import { gpcCoveredDataUse } from '../gpc.ts';
import { markdownToText } from './markdownText.ts';

/*
 * What the consent widget asks a visitor about: every consent purpose of the workspace with
 * a published notice, in the notice's own words, as plain text (the widget renders text,
 * never HTML, so a notice cannot inject markup into the embedding page). E-mail marketing is
 * left out: an anonymous visitor has no address to confirm, and that consent is given only
 * through double opt-in (doubleOptIn.ts); a widget consent would reach the contact a visitor
 * later merges into without it. Notices are no personal data.
 */

export type WidgetNotice = {
  purposeKey: string;
  version: number;
  title: string;
  language: string;
  /** The notice's text without Markdown, one block (heading, paragraph, list item) a line. */
  text: string;
  /** Whether a Global Privacy Control signal opts the visitor out of this purpose (gpc.ts). */
  gpcCovered: boolean;
};

type NoticeRow = { purposeKey: string; dataUse: string; version: number; title: string; language: string; bodyMarkdown: string };

/** The rows a widget shows: consent purposes with a published notice, e-mail marketing aside. */
export function toWidgetNotices(rows: readonly NoticeRow[]): WidgetNotice[] {
  return rows
    .filter((row) => !isEmailMarketing(row.dataUse))
    .map((row) => ({
      purposeKey: row.purposeKey,
      version: row.version,
      title: row.title,
      language: row.language,
      text: markdownToText(row.bodyMarkdown),
      gpcCovered: gpcCoveredDataUse(row.dataUse),
    }));
}

export async function widgetNotices(db: Executor, tenantId: string): Promise<WidgetNotice[]> {
  const rows = await db
    .select({
      purposeKey: purposes.key,
      dataUse: purposes.dataUse,
      version: purposeNotices.version,
      title: purposeNotices.title,
      language: purposeNotices.language,
      bodyMarkdown: purposeNotices.bodyMarkdown,
    })
    .from(purposes)
    .innerJoin(purposeNotices, and(eq(purposeNotices.tenantId, purposes.tenantId), eq(purposeNotices.purposeKey, purposes.key)))
    .where(and(eq(purposes.tenantId, tenantId), eq(purposes.legalBasis, 'consent'), eq(purposeNotices.status, 'published')))
    .orderBy(asc(purposes.key));
  return toWidgetNotices(rows);
}

/** A widget choice as /collect receives it. */
export type WidgetChoice = { purposeKey: string; given: boolean; noticeVersion?: number };

/**
 * The widget's own rules for a submission (channel `widget`): it speaks for a visitor
 * (visitorId, no form fields), about purposes it shows, each choice under the notice
 * version the visitor read. 422 naming each field otherwise.
 */
export function widgetSubmissionIssues(
  submission: { fields: Record<string, string>; visitorId?: string; consents: readonly WidgetChoice[] },
  shown: ReadonlySet<string>,
): FieldIssue[] {
  const issues: FieldIssue[] = [];
  if (!submission.visitorId) issues.push({ field: 'visitorId', reason: 'the widget speaks for a visitor: send its first-party identifier' });
  for (const name of Object.keys(submission.fields)) issues.push({ field: `fields.${name}`, reason: 'the widget stores no form fields' });
  submission.consents.forEach((choice, position) => {
    if (!shown.has(choice.purposeKey)) issues.push({ field: `consents.${position}.purposeKey`, reason: 'not a purpose the widget asks about' });
    else if (choice.noticeVersion === undefined)
      issues.push({ field: `consents.${position}.noticeVersion`, reason: 'the widget says which notice version the visitor read' });
  });
  return issues;
}
