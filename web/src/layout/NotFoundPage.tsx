import { Link } from 'react-router';

/** An address the app has no page for. */
export function NotFoundPage() {
  return (
    <section className="page">
      <h1>Page not found</h1>
      <p>
        There is no page at this address. <Link to="/contacts">Go to the contacts</Link>.
      </p>
    </section>
  );
}
