import { useState } from 'react';
import { useSearchParams } from 'react-router';
import { purposeLabel } from '../../purpose/purposeLabels.ts';
import { usePurposes } from '../../purpose/usePurposes.ts';
import { ChoiceSelect } from '../../ui/ChoiceSelect.tsx';
import { Loading } from '../../ui/Loading.tsx';
import { ProblemNotice } from '../../ui/ProblemNotice.tsx';
import { NoticeEditor } from './NoticeEditor.tsx';
import { NoticeVersions } from './NoticeVersions.tsx';
import { useNoticeVersions } from './useNotices.ts';
import '../../styles/notices.css';

/** Each purpose's plain-language notice: its versions, and its draft to write, score and publish. The purpose is kept in the address. */
export function NoticesPage() {
  const purposes = usePurposes();
  const [search, setSearch] = useSearchParams();
  const keys = purposes.data ? [...purposes.data.keys()] : [];
  const chosen = search.get('purpose');
  const purposeKey = chosen && keys.includes(chosen) ? chosen : keys[0];
  return (
    <section className="page notices-page" aria-labelledby="notices-heading">
      <header className="page-header">
        <h1 id="notices-heading">Notices</h1>
        <p className="muted">What people read before they agree: one notice per purpose, in plain words, in versions. A published version never changes.</p>
      </header>
      {purposes.isPending ? (
        <Loading what="the purposes" />
      ) : purposes.isError ? (
        <ProblemNotice error={purposes.error} title="The purposes could not be loaded" />
      ) : purposeKey === undefined ? (
        <p>This workspace has no purposes.</p>
      ) : (
        <>
          <ChoiceSelect
            label="Purpose"
            value={purposeKey}
            choices={keys.map((key) => ({ id: key, name: purposeLabel(key) }))}
            onChange={(key) => setSearch({ purpose: key }, { replace: true })}
          />
          <PurposeNotices key={purposeKey} purposeKey={purposeKey} />
        </>
      )}
    </section>
  );
}

function PurposeNotices({ purposeKey }: { purposeKey: string }) {
  const versions = useNoticeVersions(purposeKey);
  const [done, setDone] = useState<string | null>(null);
  if (versions.isPending) return <Loading what="the notice's versions" />;
  if (versions.isError) return <ProblemNotice error={versions.error} title="The notice could not be loaded" />;
  const draft = versions.data.find((notice) => notice.status === 'draft');
  const published = versions.data.find((notice) => notice.status === 'published');
  return (
    <>
      {done && (
        <p className="notice notice-success" role="status">
          {done}
        </p>
      )}
      {/* A new editor for each saved draft revision: it shows what was saved, not stale text. */}
      <NoticeEditor
        key={draft ? `draft-${draft.version}-${draft.revision}` : `published-${published?.version ?? 0}`}
        purposeKey={purposeKey}
        purposeName={purposeLabel(purposeKey)}
        draft={draft}
        published={published}
        onDone={setDone}
      />
      <NoticeVersions versions={versions.data} />
    </>
  );
}
