import { ConfirmButton } from '../../ui/ConfirmButton.tsx';
import { useReleaseLegalHold } from './useLegalHolds.ts';

/** Releases a hold after the officer confirms: the person falls under erasure and retention again. */
export function ReleaseLegalHoldButton({ id, subjectId }: { id: string; subjectId: string }) {
  const release = useReleaseLegalHold(id);
  return (
    <ConfirmButton
      label="Release"
      fullLabel={`Release the hold on ${subjectId}`}
      question="Release this legal hold?"
      confirm="Release the hold"
      cancel="Keep it"
      action={release}
      failure="The hold was not released"
    >
      <p>
        Once released, the person&apos;s data is no longer kept for this reason: a pending erasure request or the nightly retention sweep may erase it. The
        release is recorded in the audit trail.
      </p>
    </ConfirmButton>
  );
}
