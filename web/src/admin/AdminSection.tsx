import { Navigate, NavLink, Route, Routes } from 'react-router';
import { NotFoundPage } from '../layout/NotFoundPage.tsx';
import '../styles/admin.css';
import { ApiKeysPage } from './ApiKeysPage.tsx';
import { UsersPage } from './UsersPage.tsx';
import { WebhookDeliveriesPage } from './WebhookDeliveriesPage.tsx';
import { WebhooksPage } from './WebhooksPage.tsx';

/** The administration pages (admins): people and invitations, API keys, webhooks. */
export function AdminSection() {
  return (
    <section className="page" aria-labelledby="admin-heading">
      <h1 id="admin-heading">Administration</h1>
      <nav aria-label="Administration" className="tabs">
        <NavLink to="/admin/users">People</NavLink>
        <NavLink to="/admin/api-keys">API keys</NavLink>
        <NavLink to="/admin/webhooks">Webhooks</NavLink>
      </nav>
      <Routes>
        <Route index element={<Navigate to="users" replace />} />
        <Route path="users" element={<UsersPage />} />
        <Route path="api-keys" element={<ApiKeysPage />} />
        <Route path="webhooks" element={<WebhooksPage />} />
        <Route path="webhooks/:id" element={<WebhookDeliveriesPage />} />
        <Route path="*" element={<NotFoundPage />} />
      </Routes>
    </section>
  );
}
