import { Form } from 'react-aria-components';
import { ProblemNotice } from '../../ui/ProblemNotice.tsx';
import { TextInput } from '../../ui/TextInput.tsx';
import { textOf, useFormSubmit } from '../../ui/useFormSubmit.ts';
import { EditorActions } from '../EditorActions.tsx';
import { useRegisterAgent } from './useAgents.ts';

/** Registers an authorised agent as the DRP service directory lists it: its id, name, verify key and callback URL (its requests name the workspace's business id, shown above). */
export function RegisterAgentForm({ onDone }: { onDone(): void }) {
  const register = useRegisterAgent();
  const { pending, error, onSubmit, validationErrors } = useFormSubmit(async (fields) => {
    const callbackUrl = textOf(fields, 'callbackUrl').trim();
    await register.mutateAsync({
      agentId: textOf(fields, 'agentId').trim(),
      name: textOf(fields, 'name').trim(),
      verifyKey: textOf(fields, 'verifyKey').trim(),
      ...(callbackUrl === '' ? {} : { callbackUrl }),
    });
    onDone();
  });
  return (
    <section className="panel console-form" aria-labelledby="register-agent-heading">
      <h2 id="register-agent-heading">Register an agent</h2>
      <Form className="stack" onSubmit={onSubmit} validationErrors={validationErrors}>
        <TextInput name="agentId" label="Agent id" description="The agent's id in the Data Rights Protocol service directory." maxLength={100} isRequired />
        <TextInput name="name" label="Name" description="The name people know the agent by." maxLength={200} isRequired />
        <TextInput name="verifyKey" label="Verify key" description="The agent's Ed25519 public key, base64 (44 characters)." maxLength={200} isRequired />
        <TextInput
          name="callbackUrl"
          label="Callback URL"
          type="url"
          description="Where the agent hears of each change of a request's state. Optional."
          maxLength={2048}
        />
        {error !== null && <ProblemNotice error={error} title="The agent was not registered" fieldsShown />}
        <EditorActions saveLabel="Register the agent" pending={pending} onCancel={onDone} />
      </Form>
    </section>
  );
}
