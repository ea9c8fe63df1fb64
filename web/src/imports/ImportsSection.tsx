import { Route, Routes } from 'react-router';
import { NotFoundPage } from '../layout/NotFoundPage.tsx';
import '../styles/imports.css';
import { ImportPage } from './ImportPage.tsx';
import { ImportsPage } from './ImportsPage.tsx';
import { ImportWizard } from './ImportWizard.tsx';

/** Everything under /imports: the list with the exports, the import wizard, one import. */
export function ImportsSection() {
  return (
    <Routes>
      <Route index element={<ImportsPage />} />
      <Route path="new" element={<ImportWizard />} />
      <Route path=":id" element={<ImportPage />} />
      <Route path="*" element={<NotFoundPage />} />
    </Routes>
  );
}
