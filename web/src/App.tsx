import { QueryClient, QueryClientProvider } from '@tanstack/react-query';
import { RouterProvider as AriaRouterProvider } from 'react-aria-components';
import { BrowserRouter, Navigate, Route, Routes, useHref, useNavigate } from 'react-router';
import { lazy, Suspense } from 'react';
import { ForgotPasswordPage } from './account/ForgotPasswordPage.tsx';
import { AppShell } from './layout/AppShell.tsx';
import { NotFoundPage } from './layout/NotFoundPage.tsx';
import { RequireSession } from './session/RequireSession.tsx';
import { SessionProvider } from './session/SessionProvider.tsx';
import { SignInPage } from './session/SignInPage.tsx';
import { Loading } from './ui/Loading.tsx';

// Pages load when first visited: the sign-in screen does not wait for the table code. The
// forgot-password page comes with sign-in: while a lazy page loads, the router keeps showing
// the sign-in form, whose fields have the same labels, and what is typed there would be lost.
const AcceptInvitationPage = lazy(() => import('./account/AcceptInvitationPage.tsx').then((module) => ({ default: module.AcceptInvitationPage })));
const ResetPasswordPage = lazy(() => import('./account/ResetPasswordPage.tsx').then((module) => ({ default: module.ResetPasswordPage })));
const ContactPage = lazy(() => import('./contact/ContactPage.tsx').then((module) => ({ default: module.ContactPage })));
const PrivacyConsole = lazy(() => import('./privacyConsole/PrivacyConsole.tsx').then((module) => ({ default: module.PrivacyConsole })));
const DealsPage = lazy(() => import('./deals/DealsPage.tsx').then((module) => ({ default: module.DealsPage })));
const CompaniesPage = lazy(() => import('./companies/CompaniesPage.tsx').then((module) => ({ default: module.CompaniesPage })));
const CompanyPage = lazy(() => import('./companies/CompanyPage.tsx').then((module) => ({ default: module.CompanyPage })));
const ContactCreatePage = lazy(() => import('./contactEditing/ContactCreatePage.tsx').then((module) => ({ default: module.ContactCreatePage })));
const ContactEditPage = lazy(() => import('./contactEditing/ContactEditPage.tsx').then((module) => ({ default: module.ContactEditPage })));
const MyTasksPage = lazy(() => import('./activities/MyTasksPage.tsx').then((module) => ({ default: module.MyTasksPage })));
const ImportsSection = lazy(() => import('./imports/ImportsSection.tsx').then((module) => ({ default: module.ImportsSection })));
const AdminSection = lazy(() => import('./admin/AdminSection.tsx').then((module) => ({ default: module.AdminSection })));
const CampaignsSection = lazy(() => import('./campaigns/CampaignsSection.tsx').then((module) => ({ default: module.CampaignsSection })));
const ReportsPage = lazy(() => import('./reports/ReportsPage.tsx').then((module) => ({ default: module.ReportsPage })));
const PortalSignInPage = lazy(() => import('./portal/PortalSignInPage.tsx').then((module) => ({ default: module.PortalSignInPage })));
const AgentRequestPage = lazy(() => import('./portal/agent/AgentRequestPage.tsx').then((module) => ({ default: module.AgentRequestPage })));
const PortalPage = lazy(() => import('./portal/PortalPage.tsx').then((module) => ({ default: module.PortalPage })));
const ContactsPage = lazy(() => import('./contacts/ContactsPage.tsx').then((module) => ({ default: module.ContactsPage })));

const queryClient = new QueryClient({
  defaultOptions: {
    queries: {
      // A refusal (403, 404, 422) does not change by asking again; a lost connection may.
      retry: (failures, error) => failures < 2 && !(error instanceof Error && error.name === 'ApiProblem'),
      staleTime: 30_000,
    },
  },
});

/** The app's pages. The server sends the same page for every path outside its own; this decides what it shows. */
function AppRoutes() {
  const navigate = useNavigate();
  return (
    // React Aria's links and buttons navigate through the router, not by reloading the page.
    <AriaRouterProvider navigate={navigate} useHref={useHref}>
      <Suspense fallback={<Loading what="the page" />}>
        <Routes>
          <Route path="/sign-in" element={<SignInPage />} />
          <Route path="/forgot-password" element={<ForgotPasswordPage />} />
          <Route path="/reset-password" element={<ResetPasswordPage />} />
          <Route path="/accept-invitation" element={<AcceptInvitationPage />} />
          {/* The customer privacy portal: public, for the people whose data a workspace holds (not staff). */}
          <Route path="/portal/:workspace" element={<PortalSignInPage />} />
          <Route path="/portal/:workspace/me" element={<PortalPage />} />
          <Route path="/portal/:workspace/requests/:requestId/verify" element={<AgentRequestPage />} />
          <Route
            element={
              <RequireSession>
                <AppShell />
              </RequireSession>
            }
          >
            <Route index element={<Navigate to="/contacts" replace />} />
            <Route path="/contacts" element={<ContactsPage />} />
            <Route path="/contacts/new" element={<ContactCreatePage />} />
            <Route path="/contacts/:id" element={<ContactPage />} />
            <Route path="/privacy/*" element={<PrivacyConsole />} />
            <Route path="/deals" element={<DealsPage />} />
            <Route path="/reports" element={<ReportsPage />} />
            <Route path="/companies" element={<CompaniesPage />} />
            <Route path="/companies/:id" element={<CompanyPage />} />
            <Route path="/contacts/:id/edit" element={<ContactEditPage />} />
            <Route path="/tasks" element={<MyTasksPage />} />
            <Route path="/imports/*" element={<ImportsSection />} />
            <Route path="/campaigns/*" element={<CampaignsSection />} />
            <Route path="/admin/*" element={<AdminSection />} />
            <Route path="*" element={<NotFoundPage />} />
          </Route>
        </Routes>
      </Suspense>
    </AriaRouterProvider>
  );
}

export function App() {
  return (
    <QueryClientProvider client={queryClient}>
      <SessionProvider>
        <BrowserRouter>
          <AppRoutes />
        </BrowserRouter>
      </SessionProvider>
    </QueryClientProvider>
  );
}
