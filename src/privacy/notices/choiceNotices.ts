import type { Executor } from '../../db/connection.ts';
import { invalid } from '../../shared/domainError.ts';
import type { ChoiceNotice } from '../collectionConsents.ts';
import { publishedNoticeVersions } from './notices.ts';

/*
 * The notice each consent choice of a collection request was made under. A choice that names
 * the notice version the person read is recorded with that version (the kernel stamps its
 * hash), and only while that version is the one published now: a choice made under a notice replaced since
 * the page loaded is refused (422), so the person reads the current words and is asked again.
 * A choice naming no version (a form that shows no notice) records none.
 */

export type NoticedChoice = { purposeKey: string; noticeVersion?: number };

export async function choiceNotices(db: Executor, tenantId: string, choices: readonly NoticedChoice[]): Promise<Array<ChoiceNotice | null>> {
  const named = choices.filter((choice) => choice.noticeVersion !== undefined).map((choice) => choice.purposeKey);
  const published = await publishedNoticeVersions(db, tenantId, named);
  return choices.map((choice, position) => {
    if (choice.noticeVersion === undefined) return null;
    const current = published.get(choice.purposeKey);
    if (current !== choice.noticeVersion) {
      throw invalid(
        `consents.${position}.noticeVersion`,
        current === undefined ? 'this purpose has no published notice' : `not the notice published now (version ${current}); show it and ask again`,
      );
    }
    return { version: current };
  });
}
