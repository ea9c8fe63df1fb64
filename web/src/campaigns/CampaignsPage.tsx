import { useState } from 'react';
import { Button, FieldError, Form, Label, TextArea, TextField } from 'react-aria-components';
import type { Campaign } from '../api/types.ts';
import { purposeLabel } from '../purpose/purposeLabels.ts';
import { usePurposes } from '../purpose/usePurposes.ts';
import { ChoiceSelect } from '../ui/ChoiceSelect.tsx';
import { formatCount, formatDateTime, humanise } from '../ui/format.ts';
import { ProblemNotice } from '../ui/ProblemNotice.tsx';
import { QueryPanel } from '../ui/QueryPanel.tsx';
import { SimpleTable } from '../ui/SimpleTable.tsx';
import { TextInput } from '../ui/TextInput.tsx';
import { textOf, useFormSubmit } from '../ui/useFormSubmit.ts';
import { useCampaigns, useCampaignStep, useCreateCampaign, useSegments } from './campaignsApi.ts';

/** A new draft: its segment, purpose, subject, text and rate. */
function CampaignEditor() {
  const segments = useSegments().data ?? [];
  // Only purposes for e-mail marketing can carry a campaign; the server says so too (422 naming purposeKey).
  const purposes = [...(usePurposes().data?.values() ?? [])].filter((purpose) => purpose.dataUse.startsWith('marketing.communications.email'));
  const [segmentId, setSegmentId] = useState('');
  const [purposeKey, setPurposeKey] = useState('email_marketing');
  const create = useCreateCampaign();
  const { pending, error, onSubmit, validationErrors } = useFormSubmit(async (fields) => {
    await create.mutateAsync({
      name: textOf(fields, 'name'),
      segmentId: segmentId || (segments[0]?.id ?? ''),
      purposeKey,
      subject: textOf(fields, 'subject'),
      textBody: textOf(fields, 'textBody'),
      htmlBody: null,
      ratePerSecond: Number(textOf(fields, 'ratePerSecond')),
    });
  });
  return (
    <section className="panel stack" aria-labelledby="new-campaign-heading">
      <h2 id="new-campaign-heading">New campaign</h2>
      <Form className="stack" aria-labelledby="new-campaign-heading" onSubmit={onSubmit} validationErrors={validationErrors}>
        <div className="toolbar">
          <TextInput name="name" label="Name" isRequired />
          <ChoiceSelect
            label="Segment"
            name="segmentId"
            value={segmentId || (segments[0]?.id ?? '')}
            choices={segments.map((segment) => ({ id: segment.id, name: segment.name }))}
            onChange={setSegmentId}
          />
          <ChoiceSelect
            label="Purpose"
            name="purposeKey"
            value={purposeKey}
            choices={purposes.map((purpose) => ({ id: purpose.key, name: purposeLabel(purpose.key) }))}
            onChange={setPurposeKey}
          />
          <TextInput name="ratePerSecond" label="Messages a second" type="number" defaultValue="10" isRequired />
        </div>
        <TextInput name="subject" label="Subject" isRequired className="field field-wide" />
        <TextField className="field" name="textBody" isRequired validationBehavior="native">
          <Label>Text</Label>
          <TextArea rows={6} />
          <FieldError />
        </TextField>
        <p className="hint">Every message ends with the person&apos;s own one-click unsubscribe link. Who receives it is decided as each batch is sent.</p>
        <Button type="submit" className="button button-primary form-submit" isPending={pending} isDisabled={segments.length === 0}>
          Save as draft
        </Button>
      </Form>
      {error !== null && <ProblemNotice error={error} title="The campaign was not saved" fieldsShown />}
    </section>
  );
}

/** Send now (a draft) or cancel (scheduled or sending). */
function CampaignStep({ campaign }: { campaign: Campaign }) {
  const step = useCampaignStep(campaign);
  const next = campaign.status === 'draft' ? 'schedule' : campaign.status === 'scheduled' || campaign.status === 'sending' ? 'cancel' : null;
  if (next === null) return null;
  return (
    <>
      <Button className={next === 'schedule' ? 'button button-primary' : 'button'} isPending={step.isPending} onPress={() => step.mutate(next)}>
        {next === 'schedule' ? `Send ${campaign.name} now` : `Cancel ${campaign.name}`}
      </Button>
      {step.isError && <ProblemNotice error={step.error} title="That did not work" />}
    </>
  );
}

/** The workspace's campaigns with their delivery counts (read again while one is sending), and a new draft. */
export function CampaignsPage() {
  const campaigns = useCampaigns();
  return (
    <div className="stack">
      <CampaignEditor />
      <QueryPanel
        id="campaigns-heading"
        title="Campaigns"
        query={campaigns}
        what="the campaigns"
        empty={(list) => (list.length === 0 ? 'No campaign yet.' : null)}
      >
        {(list) => (
          <SimpleTable
            labelledBy="campaigns-heading"
            columns={[
              { label: 'Name' },
              { label: 'Purpose' },
              { label: 'Status' },
              { label: 'Sent', numeric: true },
              { label: 'Skipped', numeric: true },
              { label: 'Failed', numeric: true },
              { label: 'Waiting', numeric: true },
              { label: 'Started' },
              { label: 'Actions', hidden: true },
            ]}
          >
            {list.map((campaign) => (
              <tr key={campaign.id}>
                <th scope="row">{campaign.name}</th>
                <td>{purposeLabel(campaign.purposeKey)}</td>
                <td>{humanise(campaign.status)}</td>
                <td className="numeric">{formatCount(campaign.deliveries.sent)}</td>
                <td className="numeric">{formatCount(campaign.deliveries.skipped)}</td>
                <td className="numeric">{formatCount(campaign.deliveries.failed)}</td>
                <td className="numeric">{formatCount(campaign.deliveries.queued + campaign.deliveries.sending)}</td>
                <td className="nowrap">{campaign.startedAt ? formatDateTime(campaign.startedAt) : '—'}</td>
                <td>
                  <CampaignStep campaign={campaign} />
                </td>
              </tr>
            ))}
          </SimpleTable>
        )}
      </QueryPanel>
    </div>
  );
}
