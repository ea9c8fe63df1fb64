// Where the wizard is: the current step is marked for screen readers as well as by its look.

const steps = [
  { key: 'upload', label: 'Choose a file' },
  { key: 'mapping', label: 'Map the columns' },
  { key: 'import', label: 'Import, review, undo' },
] as const;

export type WizardStep = (typeof steps)[number]['key'];

export function WizardSteps({ current }: { current: WizardStep }) {
  const at = steps.findIndex((step) => step.key === current);
  return (
    <ol className="wizard-steps" aria-label="Import steps">
      {steps.map((step, index) => (
        <li key={step.key} aria-current={index === at ? 'step' : undefined} className={index < at ? 'done' : undefined}>
          <span className="wizard-step-number" aria-hidden="true">
            {index + 1}
          </span>
          {step.label}
        </li>
      ))}
    </ol>
  );
}
