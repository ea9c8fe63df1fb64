import { useState } from 'react';
import { Button } from 'react-aria-components';
import { purposeLabel } from '../purpose/purposeLabels.ts';
import { ProblemNotice } from '../ui/ProblemNotice.tsx';
import { downloadExport, type ExportObject } from './downloadExport.ts';

/** Downloads every contact or company as CSV, with only the fields the current purpose may use (the export is audited). */
export function ExportPanel({ purpose }: { purpose: string }) {
  const [pending, setPending] = useState<ExportObject | null>(null);
  const [error, setError] = useState<unknown>(null);
  const [done, setDone] = useState<ExportObject | null>(null);
  const download = (object: ExportObject) => {
    setPending(object);
    setError(null);
    setDone(null);
    downloadExport(purpose, object)
      .then(() => setDone(object))
      .catch((failure: unknown) => setError(failure))
      .finally(() => setPending(null));
  };
  return (
    <section className="panel stack" aria-labelledby="export-heading">
      <div>
        <h2 id="export-heading">Export</h2>
        <p className="muted">
          A CSV file with the columns an import takes, so it imports again as it is. It holds what {purposeLabel(purpose)} may use; the export is recorded in
          the audit trail.
        </p>
      </div>
      <div className="toolbar">
        <Button className="button" isPending={pending === 'contacts'} isDisabled={pending !== null} onPress={() => download('contacts')}>
          Export contacts (CSV)
        </Button>
        <Button className="button" isPending={pending === 'companies'} isDisabled={pending !== null} onPress={() => download('companies')}>
          Export companies (CSV)
        </Button>
      </div>
      <p role="status" className="muted">
        {pending !== null ? `Preparing the ${pending} file…` : done !== null ? `The ${done} file was downloaded.` : ''}
      </p>
      {error !== null && <ProblemNotice error={error} title="The export did not work" />}
    </section>
  );
}
