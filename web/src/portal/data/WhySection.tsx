import type { PortalPurpose } from '../../api/types.ts';
import { parseMarkdown } from '../../privacyConsole/notices/markdownBlocks.ts';
import { MarkdownBlocks } from '../../ui/MarkdownBlocks.tsx';
import { humanise } from '../../ui/format.ts';
import { FieldRow } from '../../ui/FieldRow.tsx';

const legalBasisWords: Record<string, string> = {
  consent: 'Your consent',
  contract: 'A contract with you',
  legal_obligation: 'A duty the law puts on us',
  vital_interests: 'To protect someone’s life',
  public_task: 'A task in the public interest',
  legitimate_interests: 'Our legitimate interests, weighed against yours',
};

function PurposeEntry({ purpose }: { purpose: PortalPurpose }) {
  return (
    <li className="portal-purpose">
      <h3>{purpose.label}</h3>
      <p>{purpose.description}</p>
      <dl className="field-list">
        <FieldRow label="Legal basis">{legalBasisWords[purpose.legalBasis] ?? humanise(purpose.legalBasis)}</FieldRow>
        <FieldRow label="Kept for">{purpose.retention}</FieldRow>
      </dl>
      {purpose.notice ? (
        <details className="portal-notice">
          <summary>
            Read the notice: {purpose.notice.title || purpose.label} (version {purpose.notice.version})
          </summary>
          <MarkdownBlocks blocks={parseMarkdown(purpose.notice.markdown)} firstHeading="h4" />
        </details>
      ) : (
        <p className="muted">No notice is published for this purpose yet.</p>
      )}
    </li>
  );
}

/** The purposes the workspace processes data for: what each is for, its legal basis, how long data is kept, and its notice. */
export function WhySection({ purposes }: { purposes: PortalPurpose[] }) {
  return (
    <section id="why-we-hold-it" className="panel portal-section" aria-labelledby="why-we-hold-it-heading">
      <h2 id="why-we-hold-it-heading">Why we hold it</h2>
      <p>We use data only for these purposes, each on a legal basis, and keep it no longer than said here.</p>
      <ul className="plain-list ruled">
        {purposes.map((purpose) => (
          <PurposeEntry key={purpose.key} purpose={purpose} />
        ))}
      </ul>
    </section>
  );
}
