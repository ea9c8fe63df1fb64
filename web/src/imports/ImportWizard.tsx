import { useState } from 'react';
import { usePurpose } from '../session/sessionContext.ts';
import { ProblemNotice } from '../ui/ProblemNotice.tsx';
import type { ConsentDefaults } from './ConsentColumnsPanel.tsx';
import { type ImportObject, type MappingChoices, useStartImport } from './importApi.ts';
import { ImportReportView } from './ImportReportView.tsx';
import { MappingStep } from './MappingStep.tsx';
import { UploadStep } from './UploadStep.tsx';
import { WizardSteps } from './WizardSteps.tsx';

export type ChosenFile = { file: File; headers: string[]; object: ImportObject };

/**
 * Importing a CSV file in steps: choose it, map its columns (the server's mapping, with the
 * HubSpot and Salesforce presets it knows, changed by hand where needed), then follow the
 * import as a job until it is published or lists its row errors, and undo it if need be.
 * The file stays in the page until it is sent; only its header row is sent before that.
 */
export function ImportWizard() {
  const purpose = usePurpose();
  const [chosen, setChosen] = useState<ChosenFile | null>(null);
  const [choices, setChoices] = useState<MappingChoices>({});
  const [importId, setImportId] = useState<string | null>(null);
  const [consents, setConsents] = useState<ConsentDefaults | null>(null);
  const start = useStartImport(purpose);

  const send = (skipInvalid: boolean, consentDefaults = consents) => {
    if (!chosen) return;
    setConsents(consentDefaults);
    start.mutate(
      { object: chosen.object, file: chosen.file, choices, skipInvalid, consents: consentDefaults },
      { onSuccess: (report) => setImportId(report.id) },
    );
  };
  const step = importId !== null ? 'import' : chosen !== null ? 'mapping' : 'upload';

  return (
    <section className="page" aria-labelledby="wizard-heading">
      <div className="page-header">
        <h1 id="wizard-heading">Import a CSV file</h1>
        <WizardSteps current={step} />
      </div>
      {step === 'upload' && (
        <UploadStep
          onChosen={(next) => {
            setChoices({});
            setChosen(next);
          }}
        />
      )}
      {step === 'mapping' && chosen && (
        <MappingStep
          chosen={chosen}
          choices={choices}
          onChoices={setChoices}
          onBack={() => setChosen(null)}
          onImport={send}
          pending={start.isPending}
          error={start.error}
        />
      )}
      {step === 'import' && importId !== null && (
        <>
          <ImportReportView purpose={purpose} id={importId} onImportValidRows={chosen ? () => send(true) : undefined} importingValidRows={start.isPending} />
          {start.isError && <ProblemNotice error={start.error} title="The valid rows could not be imported" />}
        </>
      )}
    </section>
  );
}
