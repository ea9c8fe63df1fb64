import { useState } from 'react';
import { Button, Form, Label, ProgressBar, Radio, RadioGroup } from 'react-aria-components';
import type { PortalCopy, PortalCopyFormat } from '../../api/types.ts';
import { formatDateTime } from '../../ui/format.ts';
import { Loading } from '../../ui/Loading.tsx';
import { ProblemNotice } from '../../ui/ProblemNotice.tsx';
import { useAskForCopy, useDownloadCopy, usePortalCopies } from './usePortalCopies.ts';

const formats: Array<{ format: PortalCopyFormat; label: string; description: string }> = [
  { format: 'html', label: 'A page to read (HTML)', description: 'Opens in any web browser.' },
  { format: 'csv', label: 'Spreadsheets (CSV, zipped)', description: 'One table per kind of record.' },
  { format: 'json', label: 'For another service (JSON)', description: 'Machine-readable, to take your data elsewhere.' },
];
const formatName = (format: string) => formats.find((entry) => entry.format === format)?.label ?? format.toUpperCase();

function CopyProgress({ copy }: { copy: PortalCopy }) {
  return (
    <ProgressBar className="portal-progress" value={copy.progress} valueLabel={`${copy.progress}% ready`}>
      {({ percentage, valueText }) => (
        <>
          <div className="progress-labels">
            <Label>Preparing your copy</Label>
            <span>{valueText}</span>
          </div>
          {/* A native bar: no inline width to allow in the CSP. */}
          <progress className="progress-fill" max={100} value={percentage} aria-hidden="true" />
        </>
      )}
    </ProgressBar>
  );
}

function CopyEntry({ workspace, copy }: { workspace: string; copy: PortalCopy }) {
  const download = useDownloadCopy(workspace);
  return (
    <li className="portal-copy">
      <p>
        <strong>{formatName(copy.format)}</strong> <span className="muted">asked for {formatDateTime(copy.createdAt)}</span>
      </p>
      {copy.status === 'ready' ? (
        <div className="portal-actions">
          <Button className="button button-primary" onPress={() => download.mutate(copy.id)} isPending={download.isPending}>
            Download your copy<span className="visually-hidden"> ({formatName(copy.format)})</span>
          </Button>
          <span className="muted">Available until {formatDateTime(copy.expiresAt)}</span>
        </div>
      ) : copy.status === 'failed' ? (
        <p className="notice notice-error">This copy could not be made. Ask for a new one; if it fails again, write to us.</p>
      ) : (
        <CopyProgress copy={copy} />
      )}
      {download.isError && <ProblemNotice error={download.error} title="The download did not start" />}
    </li>
  );
}

/** The format to ask for, and the button that starts the copy. */
function CopyForm({ workspace }: { workspace: string }) {
  const ask = useAskForCopy(workspace);
  const [format, setFormat] = useState<PortalCopyFormat>('html');
  return (
    <Form
      className="stack"
      aria-label="Ask for a copy"
      onSubmit={(event) => {
        event.preventDefault();
        ask.mutate(format);
      }}
    >
      <RadioGroup className="portal-choices" value={format} onChange={(value) => setFormat(value as PortalCopyFormat)}>
        <Label className="field-label">How you want it</Label>
        {formats.map((entry) => (
          <Radio key={entry.format} value={entry.format} className="portal-choice">
            <span>
              {entry.label} <span className="muted">{entry.description}</span>
            </span>
          </Radio>
        ))}
      </RadioGroup>
      {ask.isError && <ProblemNotice error={ask.error} title="We could not start your copy" />}
      <Button type="submit" className="button button-primary" isPending={ask.isPending}>
        Prepare my copy
      </Button>
    </Form>
  );
}

/** Asking for a copy of everything held (as a page, spreadsheets or JSON), following its progress, and downloading it. */
export function PortalCopySection({ workspace, known }: { workspace: string; known: boolean }) {
  const copies = usePortalCopies(workspace);
  return (
    <section id="your-copy" className="panel portal-section" aria-labelledby="your-copy-heading">
      <h2 id="your-copy-heading">Your copy</h2>
      <p>Get a copy of everything we hold about you, with why we hold it. We prepare it now; it takes a moment.</p>
      {known ? <CopyForm workspace={workspace} /> : <p className="empty-state">We hold nothing about you, so there is nothing to copy.</p>}
      {copies.isPending ? (
        <Loading what="your copies" />
      ) : copies.isError ? (
        <ProblemNotice error={copies.error} title="Your copies could not be loaded" />
      ) : (
        copies.data.length > 0 && (
          <ul className="plain-list ruled" aria-label="Your copies">
            {copies.data.map((copy) => (
              <CopyEntry key={copy.id} workspace={workspace} copy={copy} />
            ))}
          </ul>
        )
      )}
    </section>
  );
}
