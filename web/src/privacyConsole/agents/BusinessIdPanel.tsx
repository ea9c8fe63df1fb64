import { Button } from 'react-aria-components';
import { QueryPanel } from '../../ui/QueryPanel.tsx';
import { useClipboardCopy } from '../../ui/useClipboardCopy.ts';
import { useBusinessId } from './useAgents.ts';

/**
 * The workspace's Data Rights Protocol business id, read-only: Candor made it for this
 * workspace and it never changes. The business hands it to the agents it registers (or
 * publishes it in the DRP service directory), and every request they sign must name it.
 */
export function BusinessIdPanel() {
  const businessId = useBusinessId();
  const { copy, status } = useClipboardCopy();
  return (
    <QueryPanel id="business-id-heading" title="Your business id" query={businessId} what="the business id">
      {(id) => (
        <div className="stack">
          <p className="muted">
            Give it to each agent you register: every request an agent signs must name it. Candor made it for this workspace; it does not change.
          </p>
          <div className="toolbar">
            <code className="copyable-value business-id-value">{id}</code>
            <Button className="button" onPress={() => copy(id)}>
              Copy the business id
            </Button>
          </div>
          <p role="status" className="muted">
            {status}
          </p>
        </div>
      )}
    </QueryPanel>
  );
}
