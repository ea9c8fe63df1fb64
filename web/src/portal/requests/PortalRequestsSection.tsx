import { useState } from 'react';
import { ChoiceSelect } from '../../ui/ChoiceSelect.tsx';
import { Loading } from '../../ui/Loading.tsx';
import { ProblemNotice } from '../../ui/ProblemNotice.tsx';
import { CorrectionForm, type CorrectableField } from './CorrectionForm.tsx';
import { ErasureRequest } from './ErasureRequest.tsx';
import { RequestList } from './RequestList.tsx';
import { SimpleRequestForm } from './SimpleRequestForm.tsx';
import { usePortalRequests } from './usePortalRequests.ts';

const allMarketing = 'all_direct_marketing';

type RequestsSectionProps = {
  workspace: string;
  workspaceName: string;
  fields: CorrectableField[];
  purposes: Array<{ key: string; label: string }>;
};

/** The person's requests so far, and the four they can make here: correction, erasure, restriction and objection. */
export function PortalRequestsSection({ workspace, workspaceName, fields, purposes }: RequestsSectionProps) {
  const requests = usePortalRequests(workspace);
  const [objectTo, setObjectTo] = useState(allMarketing);
  return (
    <section id="your-requests" className="panel portal-section" aria-labelledby="your-requests-heading">
      <h2 id="your-requests-heading">Your requests</h2>
      <p>Ask us to correct or erase your data, to stop using it for now, or to stop using it for a purpose. We answer within the time the law gives us.</p>
      <h3>What you have asked so far</h3>
      {requests.isPending ? (
        <Loading what="your requests" />
      ) : requests.isError ? (
        <ProblemNotice error={requests.error} title="Your requests could not be loaded" />
      ) : requests.data.length === 0 ? (
        <p className="empty-state">You have not asked for anything yet.</p>
      ) : (
        <RequestList requests={requests.data} />
      )}
      <CorrectionForm workspace={workspace} fields={fields} />
      <ErasureRequest workspace={workspace} workspaceName={workspaceName} />
      <SimpleRequestForm
        workspace={workspace}
        kind="restriction"
        headingId="ask-restriction-heading"
        title="Stop using your data for now"
        explanation="While you dispute something, you can ask us to keep your data but not use it. We tell you before we start using it again."
        submitLabel="Ask us to restrict use"
      />
      <SimpleRequestForm
        workspace={workspace}
        kind="objection"
        headingId="ask-objection-heading"
        title="Object to a use of your data"
        explanation="Tell us to stop using your data for a purpose. For direct marketing we stop, always."
        submitLabel="Send my objection"
        extra={{
          body: objectTo === allMarketing ? {} : { purposeKey: objectTo },
          chooser: (
            <ChoiceSelect
              label="What you object to"
              value={objectTo}
              choices={[{ id: allMarketing, name: 'All direct marketing' }, ...purposes.map((purpose) => ({ id: purpose.key, name: purpose.label }))]}
              onChange={setObjectTo}
            />
          ),
        }}
      />
    </section>
  );
}
