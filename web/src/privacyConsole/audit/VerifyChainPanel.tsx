import { useMutation } from '@tanstack/react-query';
import { Button } from 'react-aria-components';
import { api } from '../../api/client.ts';
import { dataOf } from '../../api/problem.ts';
import { formatCount, formatDateTime } from '../../ui/format.ts';
import { ProblemNotice } from '../../ui/ProblemNotice.tsx';

/** Recomputes the workspace's hash chain and checks its signed checkpoints (GET /audit/verify), and says what it found. */
export function VerifyChainPanel() {
  const verify = useMutation({ mutationFn: async () => dataOf(await api.GET('/api/v1/audit/verify')).data });
  const result = verify.data;
  const checkpoint = result?.lastCheckpoint;
  return (
    <section className="panel verify-panel" aria-labelledby="verify-heading">
      <h2 id="verify-heading">Integrity of the trail</h2>
      <p className="muted">Each entry holds the hash of the one before it, and signed checkpoints fix the chain as it was.</p>
      <div>
        <Button className="button button-primary" isPending={verify.isPending} onPress={() => verify.mutate()}>
          Verify chain
        </Button>
      </div>
      {verify.isError && <ProblemNotice error={verify.error} title="The chain could not be verified" />}
      <div role="status" className="verify-result">
        {result?.ok === true && (
          <div className="notice notice-success">
            <p className="notice-title">The chain holds: {formatCount(result.entries ?? 0)} entries verified.</p>
            <dl className="field-list">
              <div className="field-row">
                <dt>Last hash</dt>
                <dd>
                  <code className="hash">{result.lastHash}</code>
                </dd>
              </div>
              <div className="field-row">
                <dt>Last checkpoint</dt>
                <dd>
                  {checkpoint ? (
                    <>
                      Entry {formatCount(checkpoint.sequence)}, signed {formatDateTime(checkpoint.createdAt)}
                      <br />
                      Key <code className="hash">{checkpoint.publicKey}</code>
                    </>
                  ) : (
                    'None yet'
                  )}
                </dd>
              </div>
              <div className="field-row">
                <dt>Signers</dt>
                <dd>{result.signersTrusted ? 'Checked against the key store' : 'Not checked against the key store'}</dd>
              </div>
            </dl>
          </div>
        )}
        {result?.ok === false && (
          <div className="notice notice-error">
            <p className="notice-title">The chain is broken at entry {result.firstBrokenSequence}.</p>
            <p>{result.reason}</p>
          </div>
        )}
      </div>
    </section>
  );
}
