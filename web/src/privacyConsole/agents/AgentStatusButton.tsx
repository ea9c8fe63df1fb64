import { Button } from 'react-aria-components';
import { ConfirmButton } from '../../ui/ConfirmButton.tsx';
import { ProblemNotice } from '../../ui/ProblemNotice.tsx';
import { useUpdateAgent } from './useAgents.ts';

/** Deactivates an agent after the admin confirms (its calls are refused from then on), or activates it again. */
export function AgentStatusButton({ id, name, active }: { id: string; name: string; active: boolean }) {
  const change = useUpdateAgent(id, { status: active ? 'inactive' : 'active' });
  if (!active) {
    return (
      <>
        <Button className="button" aria-label={`Activate ${name}`} isPending={change.isPending} onPress={() => change.mutate()}>
          Activate
        </Button>
        {change.isError && <ProblemNotice error={change.error} title="The agent was not activated" />}
      </>
    );
  }
  return (
    <ConfirmButton
      label="Deactivate"
      fullLabel={`Deactivate ${name}`}
      question="Deactivate this agent?"
      confirm="Deactivate the agent"
      cancel="Keep it active"
      action={change}
      failure="The agent was not deactivated"
    >
      <p>
        The agent&apos;s calls are refused from now on: it can file no request and read no status until it is activated again. Requests it filed stay in the
        queue and are answered as usual.
      </p>
    </ConfirmButton>
  );
}
