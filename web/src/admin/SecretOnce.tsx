import { Button } from 'react-aria-components';
import { useClipboardCopy } from '../ui/useClipboardCopy.ts';

type SecretOnceProps = { title: string; secret: string; onDone(): void };

/**
 * A secret the server shows this once (an API key, a webhook's signing secret): it is stored
 * only hashed or sealed, so the page says so, offers to copy it, and forgets it when closed.
 */
export function SecretOnce({ title, secret, onDone }: SecretOnceProps) {
  const { copy, status } = useClipboardCopy();
  return (
    <section className="panel secret-once stack" aria-labelledby="secret-heading">
      <h2 id="secret-heading">{title}</h2>
      <p>Copy it now and keep it somewhere safe: Candor does not store it in a form it can show again.</p>
      <code className="copyable-value secret-value">{secret}</code>
      <div className="toolbar">
        <Button className="button button-primary" onPress={() => copy(secret)}>
          Copy
        </Button>
        <Button className="button" onPress={onDone}>
          Done, hide it
        </Button>
      </div>
      <p role="status" className="muted">
        {status}
      </p>
    </section>
  );
}
