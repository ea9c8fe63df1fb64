import { lazy } from 'react';
import { Navigate, NavLink, Route, Routes } from 'react-router';
import { usePermission } from '../session/usePermission.ts';
import { useUsesPrivacyConsole } from './useConsoleAccess.ts';
import '../styles/privacyConsole.css';

const NoticesPage = lazy(() => import('./notices/NoticesPage.tsx').then((module) => ({ default: module.NoticesPage })));
const PurposesPage = lazy(() => import('./purposes/PurposesPage.tsx').then((module) => ({ default: module.PurposesPage })));
const GrantMatrixPage = lazy(() => import('./grants/GrantMatrixPage.tsx').then((module) => ({ default: module.GrantMatrixPage })));
const CatalogPage = lazy(() => import('./catalog/CatalogPage.tsx').then((module) => ({ default: module.CatalogPage })));
const AuditPage = lazy(() => import('./audit/AuditPage.tsx').then((module) => ({ default: module.AuditPage })));
const KeyEpochsPage = lazy(() => import('./keys/KeyEpochsPage.tsx').then((module) => ({ default: module.KeyEpochsPage })));
const ConsentDashboardPage = lazy(() => import('./consent/ConsentDashboardPage.tsx').then((module) => ({ default: module.ConsentDashboardPage })));
const RetentionPage = lazy(() => import('./retention/RetentionPage.tsx').then((module) => ({ default: module.RetentionPage })));
const RequestsPage = lazy(() => import('./requests/RequestsPage.tsx').then((module) => ({ default: module.RequestsPage })));
const LegalHoldsPage = lazy(() => import('./legalHolds/LegalHoldsPage.tsx').then((module) => ({ default: module.LegalHoldsPage })));
const AgentsPage = lazy(() => import('./agents/AgentsPage.tsx').then((module) => ({ default: module.AgentsPage })));
const AccessTrailPage = lazy(() => import('./audit/AccessTrailPage.tsx').then((module) => ({ default: module.AccessTrailPage })));

/** The privacy console (/privacy/…): the kernel's purposes, notices, consent dashboard, role grants, catalog and audit trail, for privacy officers and admins. */
export function PrivacyConsole() {
  const readsConsentStatistics = usePermission('consent_statistics:read');
  const readsRetention = usePermission('retention:read');
  const readsRequests = usePermission('request:read');
  const readsLegalHolds = usePermission('legal_hold:read');
  const configuresWorkspace = usePermission('workspace:write');
  if (!useUsesPrivacyConsole()) {
    return (
      <section className="page">
        <h1>Privacy</h1>
        <p>The privacy console is for privacy officers and admins.</p>
      </section>
    );
  }
  return (
    <div className="privacy-console">
      <nav aria-label="Privacy" className="console-nav">
        {readsRequests && <NavLink to="/privacy/requests">Requests</NavLink>}
        <NavLink to="/privacy/purposes">Purposes</NavLink>
        <NavLink to="/privacy/notices">Notices</NavLink>
        {readsConsentStatistics && <NavLink to="/privacy/consent">Consent</NavLink>}
        <NavLink to="/privacy/grants">Role grants</NavLink>
        <NavLink to="/privacy/catalog">Catalog</NavLink>
        <NavLink to="/privacy/audit">Audit trail</NavLink>
        <NavLink to="/privacy/keys">Key epochs</NavLink>
        {readsRetention && <NavLink to="/privacy/retention">Retention</NavLink>}
        {readsLegalHolds && <NavLink to="/privacy/legal-holds">Legal holds</NavLink>}
        {configuresWorkspace && <NavLink to="/privacy/agents">Agents</NavLink>}
      </nav>
      {/* Absolute paths: in a splat route (/privacy/*) a relative link resolves against the whole address. */}
      <Routes>
        <Route index element={<Navigate to="/privacy/purposes" replace />} />
        <Route path="purposes" element={<PurposesPage />} />
        <Route path="notices" element={<NoticesPage />} />
        <Route path="consent" element={<ConsentDashboardPage />} />
        <Route path="grants" element={<GrantMatrixPage />} />
        <Route path="catalog" element={<CatalogPage />} />
        <Route path="audit" element={<AuditPage />} />
        <Route path="keys" element={<KeyEpochsPage />} />
        <Route path="retention" element={<RetentionPage />} />
        <Route path="requests" element={<RequestsPage />} />
        <Route path="legal-holds" element={<LegalHoldsPage />} />
        <Route path="agents" element={<AgentsPage />} />
        <Route path="access-trail/:subjectId" element={<AccessTrailPage />} />
      </Routes>
    </div>
  );
}
