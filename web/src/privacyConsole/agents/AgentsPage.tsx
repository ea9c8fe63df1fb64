import { useState } from 'react';
import { Button } from 'react-aria-components';
import { formatDateTime } from '../../ui/format.ts';
import { QueryPanel } from '../../ui/QueryPanel.tsx';
import { SimpleTable } from '../../ui/SimpleTable.tsx';
import { AgentStatusButton } from './AgentStatusButton.tsx';
import { BusinessIdPanel } from './BusinessIdPanel.tsx';
import { RegisterAgentForm } from './RegisterAgentForm.tsx';
import { useAgents } from './useAgents.ts';

/*
 * Authorised agents in the privacy console (/privacy/agents, admins): the agents that may file
 * rights requests for the people they represent through the Data Rights Protocol, with their
 * keys and callback URLs; the workspace's business id (Candor's, read-only) that their requests
 * name; registering one, deactivating one after confirming.
 * Their requests appear on the Requests page like anyone's. The API audits each change
 * (src/http/routes/drpAgents.ts).
 */
export function AgentsPage() {
  const agents = useAgents();
  const [registering, setRegistering] = useState(false);
  return (
    <section className="page stack" aria-labelledby="agents-heading">
      <h1 id="agents-heading">Authorised agents</h1>
      <p className="muted">
        Authorised agents file rights requests for the people they represent through the Data Rights Protocol. Their requests join the Requests page, with the
        same deadlines as anyone&apos;s, and each change of state is sent to the agent.
      </p>
      <BusinessIdPanel />
      {registering ? (
        <RegisterAgentForm onDone={() => setRegistering(false)} />
      ) : (
        <div>
          <Button className="button button-primary" onPress={() => setRegistering(true)}>
            Register an agent
          </Button>
        </div>
      )}
      <QueryPanel
        id="agents-list-heading"
        title="Agents"
        query={agents}
        what="the agents"
        empty={(rows) => (rows.length === 0 ? 'No agent is registered yet.' : null)}
      >
        {(rows) => (
          <SimpleTable
            labelledBy="agents-list-heading"
            columns={[
              { label: 'Agent' },
              { label: 'Agent id' },
              { label: 'Callback URL' },
              { label: 'Token' },
              { label: 'Status' },
              { label: 'Actions', hidden: true },
            ]}
          >
            {rows.map((agent) => (
              <tr key={agent.id}>
                <td>{agent.name}</td>
                <td>
                  <code>{agent.agentId}</code>
                </td>
                <td className="agent-callback">{agent.callbackUrl ?? 'None'}</td>
                <td>{agent.tokenIssuedAt ? `Set up ${formatDateTime(agent.tokenIssuedAt)}` : 'Not set up yet'}</td>
                <td>{agent.status === 'active' ? 'Active' : 'Inactive'}</td>
                <td>
                  <AgentStatusButton id={agent.id} name={agent.name} active={agent.status === 'active'} />
                </td>
              </tr>
            ))}
          </SimpleTable>
        )}
      </QueryPanel>
    </section>
  );
}
