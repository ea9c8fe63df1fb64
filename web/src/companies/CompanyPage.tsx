import { Link, useParams } from 'react-router';
import '../styles/companies.css';
import { problemIn } from '../api/problem.ts';
import { useCompany } from '../contact/useContactRecord.ts';
import { DealsSection } from '../contact/DealsSection.tsx';
import { sourceLabels } from '../contacts/contactFilters.ts';
import { EmptyValue } from '../privacy/PersonalValue.tsx';
import { usePurpose } from '../session/sessionContext.ts';
import { FieldRow } from '../ui/FieldRow.tsx';
import { formatCount, formatDate, formatMoney, humanise } from '../ui/format.ts';
import { Loading } from '../ui/Loading.tsx';
import { ProblemNotice } from '../ui/ProblemNotice.tsx';
import { CompanyPeople } from './CompanyPeople.tsx';

/** One organisation: its fields, the people who work there (those the purpose may process) and its deals. */
export function CompanyPage() {
  const { id = '' } = useParams();
  const purpose = usePurpose();
  const record = useCompany(purpose, id);

  if (record.isPending) return <Loading what="the company" />;
  if (record.isError) {
    const notFound = problemIn(record.error)?.status === 404 || problemIn(record.error)?.code === 'validation_failed';
    return (
      <section className="page">
        <p className="breadcrumb">
          <Link to="/companies">← Companies</Link>
        </p>
        <ProblemNotice error={record.error} title={notFound ? 'No such company' : 'The company could not be loaded'} />
      </section>
    );
  }
  const company = record.data.data;
  return (
    <article className="page" aria-labelledby="company-heading">
      <p className="breadcrumb">
        <Link to="/companies">← Companies</Link>
      </p>
      <h1 id="company-heading">{company.name}</h1>
      <div className="company-layout">
        <section className="panel" aria-labelledby="company-details-heading">
          <h2 id="company-details-heading">Details</h2>
          <dl className="field-list ruled">
            <FieldRow label="Domain">{company.domain ?? <EmptyValue />}</FieldRow>
            <FieldRow label="Industry">{company.industry ?? <EmptyValue />}</FieldRow>
            <FieldRow label="Phone">{company.phone ?? <EmptyValue />}</FieldRow>
            <FieldRow label="Location">{[company.city, company.country].filter(Boolean).join(', ') || <EmptyValue />}</FieldRow>
            <FieldRow label="Employees">{company.employeeCount === null ? <EmptyValue /> : formatCount(company.employeeCount)}</FieldRow>
            <FieldRow label="Annual revenue">
              {company.annualRevenueMinor !== null && company.currency ? formatMoney(company.annualRevenueMinor, company.currency) : <EmptyValue />}
            </FieldRow>
            <FieldRow label="Source">{(sourceLabels as Record<string, string>)[company.source] ?? humanise(company.source)}</FieldRow>
            <FieldRow label="Created">{formatDate(company.createdAt)}</FieldRow>
            <FieldRow label="Changed">{formatDate(company.updatedAt)}</FieldRow>
          </dl>
        </section>
        <div className="contact-side">
          <CompanyPeople purpose={purpose} companyId={company.id} />
          <DealsSection purpose={purpose} of={{ companyId: company.id }} emptyText="No deals with this company." />
        </div>
      </div>
    </article>
  );
}
