import { Navigate, NavLink, Route, Routes } from 'react-router';
import { NotFoundPage } from '../layout/NotFoundPage.tsx';
import '../styles/admin.css';
import { CampaignsPage } from './CampaignsPage.tsx';
import { SegmentsPage } from './SegmentsPage.tsx';

/** Segments of contacts and the e-mail campaigns sent to them (marketing). */
export function CampaignsSection() {
  return (
    <section className="page" aria-labelledby="campaigns-section-heading">
      <h1 id="campaigns-section-heading">Segments and campaigns</h1>
      <nav aria-label="Segments and campaigns" className="tabs">
        <NavLink to="/campaigns/segments">Segments</NavLink>
        <NavLink to="/campaigns/sends">Campaigns</NavLink>
      </nav>
      <Routes>
        <Route index element={<Navigate to="sends" replace />} />
        <Route path="segments" element={<SegmentsPage />} />
        <Route path="sends" element={<CampaignsPage />} />
        <Route path="*" element={<NotFoundPage />} />
      </Routes>
    </section>
  );
}
