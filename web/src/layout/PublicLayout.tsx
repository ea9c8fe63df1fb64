import type { ReactNode } from 'react';
import markUrl from '../assets/candor-mark.svg';

/** The frame of the pages shown before signing in: the brand and one centred card. */
export function PublicLayout({ title, children }: { title: string; children: ReactNode }) {
  return (
    <div className="public-layout">
      <main className="public-card">
        <p className="brand">
          <img src={markUrl} alt="" width={32} height={32} />
          <span>Candor</span>
        </p>
        <h1>{title}</h1>
        {children}
      </main>
    </div>
  );
}
