import { useState } from 'react';
import { Button, Form } from 'react-aria-components';
import type { SegmentFilters } from '../api/types.ts';
import { type ContactSource, type LifecycleStage, sourceLabels, stageLabels } from '../contacts/contactFilters.ts';
import { purposeLabel } from '../purpose/purposeLabels.ts';
import { usePurposes } from '../purpose/usePurposes.ts';
import { ChoiceSelect } from '../ui/ChoiceSelect.tsx';
import { formatCount, formatDate } from '../ui/format.ts';
import { ProblemNotice } from '../ui/ProblemNotice.tsx';
import { QueryPanel } from '../ui/QueryPanel.tsx';
import { SimpleTable } from '../ui/SimpleTable.tsx';
import { TextInput } from '../ui/TextInput.tsx';
import { useDebouncedValue } from '../ui/useDebouncedValue.ts';
import { textOf, useFormSubmit } from '../ui/useFormSubmit.ts';
import { useCreateSegment, useSegmentPreview, useSegments } from './campaignsApi.ts';

const any = 'any';
const choices = (labels: Record<string, string>) => [{ id: any, name: 'Any' }, ...Object.entries(labels).map(([id, name]) => ({ id, name }))];
const consentChoices = [
  { id: any, name: 'Any' },
  { id: 'live', name: 'Live' },
  { id: 'not_live', name: 'Not live' },
];

type Draft = { stage: string; source: string; consentPurpose: string; consent: string };

/** The draft's choices as the API's filters: "Any" is no filter. */
function filtersOf(draft: Draft): SegmentFilters {
  return {
    ...(draft.stage !== any ? { lifecycleStage: [draft.stage as LifecycleStage] } : {}),
    ...(draft.source !== any ? { source: [draft.source as ContactSource] } : {}),
    ...(draft.consent !== any ? { consent: [{ purposeKey: draft.consentPurpose, live: draft.consent === 'live' }] } : {}),
  };
}

/** The live count of a draft's filters, and how many of them the current purpose shows. */
function PreviewCount({ filters }: { filters: SegmentFilters }) {
  const preview = useSegmentPreview(useDebouncedValue(filters, 250));
  if (preview.isError) return <ProblemNotice error={preview.error} title="The segment could not be counted" />;
  const total = preview.data ? `${formatCount(preview.data.total)}${preview.data.totalIsLowerBound ? '+' : ''}` : '…';
  return (
    <p className="segment-preview" role="status" aria-live="polite">
      <strong>{total}</strong> contacts match these filters now.
    </p>
  );
}

/** A new segment: lifecycle stage, source and consent state per purpose, with its count as the filters change. */
function SegmentEditor() {
  const purposes = [...(usePurposes().data?.values() ?? [])];
  const consentPurposes = purposes
    .filter((purpose) => purpose.legalBasis === 'consent')
    .map((purpose) => ({ id: purpose.key, name: purposeLabel(purpose.key) }));
  const [draft, setDraft] = useState<Draft>({ stage: any, source: any, consentPurpose: 'email_marketing', consent: any });
  const create = useCreateSegment();
  const { pending, error, onSubmit, validationErrors } = useFormSubmit(async (fields) => {
    await create.mutateAsync({ name: textOf(fields, 'name'), filters: filtersOf(draft) });
  });
  const change = (key: keyof Draft) => (value: string) => setDraft((current) => ({ ...current, [key]: value }));
  return (
    <section className="panel stack" aria-labelledby="new-segment-heading">
      <h2 id="new-segment-heading">New segment</h2>
      <Form className="stack" aria-labelledby="new-segment-heading" onSubmit={onSubmit} validationErrors={validationErrors}>
        <TextInput name="name" label="Name" isRequired className="field field-wide" />
        <div className="toolbar">
          <ChoiceSelect label="Lifecycle stage" value={draft.stage} choices={choices(stageLabels)} onChange={change('stage')} />
          <ChoiceSelect label="Source" value={draft.source} choices={choices(sourceLabels)} onChange={change('source')} />
          <ChoiceSelect label="Consent to" value={draft.consentPurpose} choices={consentPurposes} onChange={change('consentPurpose')} />
          <ChoiceSelect label="Consent state" value={draft.consent} choices={consentChoices} onChange={change('consent')} />
        </div>
        <PreviewCount filters={filtersOf(draft)} />
        <Button type="submit" className="button button-primary form-submit" isPending={pending}>
          Save the segment
        </Button>
      </Form>
      {error !== null && <ProblemNotice error={error} title="The segment was not saved" fieldsShown />}
    </section>
  );
}

/** What a segment's filters say, in words. */
function describe(filters: SegmentFilters): string {
  const parts = [
    ...(filters.lifecycleStage ?? []).map((stage) => stageLabels[stage]),
    ...(filters.source ?? []).map((source) => `from ${sourceLabels[source]}`),
    ...(filters.consent ?? []).map((entry) => `${purposeLabel(entry.purposeKey)} consent ${entry.live ? 'live' : 'not live'}`),
  ];
  return parts.length > 0 ? parts.join(', ') : 'Every contact';
}

/** The workspace's segments, and a new one. */
export function SegmentsPage() {
  const segments = useSegments();
  return (
    <div className="stack">
      <SegmentEditor />
      <QueryPanel id="segments-heading" title="Segments" query={segments} what="the segments" empty={(list) => (list.length === 0 ? 'No segment yet.' : null)}>
        {(list) => (
          <SimpleTable labelledBy="segments-heading" columns={[{ label: 'Name' }, { label: 'Filters' }, { label: 'Saved' }]}>
            {list.map((segment) => (
              <tr key={segment.id}>
                <th scope="row">{segment.name}</th>
                <td>{describe(segment.filters as SegmentFilters)}</td>
                <td className="nowrap">{formatDate(segment.createdAt)}</td>
              </tr>
            ))}
          </SimpleTable>
        )}
      </QueryPanel>
    </div>
  );
}
