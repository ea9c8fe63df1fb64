import { Link, useParams } from 'react-router';
import { usePurpose } from '../session/sessionContext.ts';
import { ImportReportView } from './ImportReportView.tsx';

/** One past import, from the list: its report, and its undo while it is published. */
export function ImportPage() {
  const purpose = usePurpose();
  const { id = '' } = useParams();
  return (
    <section className="page" aria-labelledby="import-heading">
      <nav aria-label="Breadcrumb" className="breadcrumb">
        <Link to="/imports">Import and export</Link>
      </nav>
      <h1 id="import-heading">Import</h1>
      <ImportReportView purpose={purpose} id={id} />
    </section>
  );
}
