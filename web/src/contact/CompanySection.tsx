import { EmptyValue } from '../privacy/PersonalValue.tsx';
import { FieldRow } from '../ui/FieldRow.tsx';
import { QueryPanel } from '../ui/QueryPanel.tsx';
import { useCompany } from './useContactRecord.ts';

/** The organisation the contact works for. */
export function CompanySection({ purpose, companyId }: { purpose: string; companyId: string | null }) {
  const company = useCompany(purpose, companyId);
  if (companyId === null) {
    return (
      <section className="panel" aria-labelledby="company-heading">
        <h2 id="company-heading">Company</h2>
        <p className="empty-state">Not linked to a company.</p>
      </section>
    );
  }
  return (
    <QueryPanel id="company-heading" title="Company" query={company} what="the company">
      {({ data }) => (
        <dl className="field-list ruled">
          <FieldRow label="Name">{data.name}</FieldRow>
          <FieldRow label="Domain">{data.domain ?? <EmptyValue />}</FieldRow>
          <FieldRow label="Industry">{data.industry ?? <EmptyValue />}</FieldRow>
          <FieldRow label="Location">{[data.city, data.country].filter(Boolean).join(', ') || <EmptyValue />}</FieldRow>
        </dl>
      )}
    </QueryPanel>
  );
}
