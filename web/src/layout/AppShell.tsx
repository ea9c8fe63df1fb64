import { Button } from 'react-aria-components';
import { NavLink, Outlet } from 'react-router';
import markUrl from '../assets/candor-mark.svg';
import { useUsesPrivacyConsole } from '../privacyConsole/useConsoleAccess.ts';
import { PurposeSwitcher } from '../purpose/PurposeSwitcher.tsx';
import { purposeLabel } from '../purpose/purposeLabels.ts';
import { useSession } from '../session/sessionContext.ts';
import { usePermission } from '../session/usePermission.ts';
import { humanise } from '../ui/format.ts';

/** Shown instead of every page when the user's role is granted no purpose at all. */
function NoPurposeGranted({ role }: { role: string }) {
  return (
    <section className="page">
      <h1>No purpose granted</h1>
      <p>
        Your role ({humanise(role)}) is granted no purpose, so Candor shows you no one&apos;s data. Ask your workspace&apos;s privacy officer or admin which
        purposes your work needs.
      </p>
    </section>
  );
}

/** The signed-in frame: the header with the workspace's sections, the purpose lens and the account; the page below. */
export function AppShell() {
  const { me, purpose, withdrawnPurpose, signOut } = useSession();
  const usesPrivacyConsole = useUsesPrivacyConsole();
  // Administration is people, API keys and webhooks: for the role that may manage users.
  const administers = usePermission('user:write');
  const campaigns = usePermission('campaign:read');
  return (
    <div className="app">
      <a className="skip-link" href="#main">
        Skip to content
      </a>
      <header className="app-header">
        <NavLink to="/contacts" className="brand">
          <img src={markUrl} alt="" width={28} height={28} />
          <span className="brand-name">Candor</span>
        </NavLink>
        <nav aria-label="Workspace" className="app-nav">
          <NavLink to="/contacts">Contacts</NavLink>
          <NavLink to="/companies">Companies</NavLink>
          <NavLink to="/deals">Deals</NavLink>
          <NavLink to="/reports">Reports</NavLink>
          <NavLink to="/tasks">My tasks</NavLink>
          <NavLink to="/imports">Import and export</NavLink>
          {campaigns && <NavLink to="/campaigns">Campaigns</NavLink>}
          {usesPrivacyConsole && <NavLink to="/privacy">Privacy</NavLink>}
          {administers && <NavLink to="/admin">Administration</NavLink>}
        </nav>
        {purpose && <PurposeSwitcher />}
        <div className="account">
          <span className="account-who">
            <span className="account-name">{me?.user?.displayName}</span>
            <span className="account-role">{me ? humanise(me.role) : ''}</span>
          </span>
          <Button className="button button-quiet" onPress={() => void signOut()}>
            Sign out
          </Button>
        </div>
      </header>
      {withdrawnPurpose && purpose && (
        <p className="notice notice-warning banner" role="alert">
          Your role is no longer granted {purposeLabel(withdrawnPurpose)}: you now act for {purposeLabel(purpose)}.
        </p>
      )}
      <main id="main" tabIndex={-1}>
        {purpose ? <Outlet /> : <NoPurposeGranted role={me?.role ?? ''} />}
      </main>
    </div>
  );
}
