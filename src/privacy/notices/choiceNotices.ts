import type { Executor } from '../../db/connection.ts';
import { invalid } from '../../shared/domainError.ts';
import type { ChoiceNotice } from '../collectionConsents.ts';
import { publishedNotice } from './notices.ts';

/*
 * The notice each consent choice of a collection request was made under. A choice that names
 * the notice version the person read is recorded with that version (the kernel stamps its
 * hash), and only while that version is the one published now: a choice made under a notice replaced since
 * the page loaded is refused (422), so the person reads the current words and is asked again.
 * A choice naming no version (a form that shows no notice) records none.
 */

export type NoticedChoice = { purposeKey: string; noticeVersion?: number };

export async function choiceNotices(db: Executor, tenantId: string, choices: readonly NoticedChoice[]): Promise<Array<ChoiceNotice | null>> {
  const notices: Array<ChoiceNotice | null> = [];
  for (const [position, choice] of choices.entries()) {
    if (choice.noticeVersion === undefined) {
      notices.push(null);
      continue;
    }
    const current = await publishedNotice(db, tenantId, choice.purposeKey);
    if (current?.version !== choice.noticeVersion) {
      throw invalid(
        `consents.${position}.noticeVersion`,
        current ? `not the notice published now (version ${current.version}); show it and ask again` : 'this purpose has no published notice',
      );
    }
    notices.push({ version: current.version });
  }
  return notices;
}
