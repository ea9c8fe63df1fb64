import { Button } from 'react-aria-components';
import { Link, useSearchParams } from 'react-router';
import { useState } from 'react';
import '../styles/companies.css';
import type { CompanyList } from '../api/types.ts';
import { EmptyValue } from '../privacy/PersonalValue.tsx';
import { usePurpose } from '../session/sessionContext.ts';
import { ChoiceSelect } from '../ui/ChoiceSelect.tsx';
import { formatCount, formatDate } from '../ui/format.ts';
import { Loading } from '../ui/Loading.tsx';
import { ProblemNotice } from '../ui/ProblemNotice.tsx';
import { SearchBox } from '../ui/SearchBox.tsx';
import { useDebouncedValue } from '../ui/useDebouncedValue.ts';
import { companySorts, parseCompanySort, useCompanyPages } from './useCompanies.ts';

function countText(first: CompanyList | undefined, loaded: number): string {
  if (first?.total === undefined) return `${formatCount(loaded)} companies loaded`;
  if (first.totalIsLowerBound) return `More than ${formatCount(first.total)} companies`;
  return `${formatCount(first.total)} ${first.total === 1 ? 'company' : 'companies'}`;
}

/** The organisations of the workspace, in the order chosen (kept in the address), a page at a time. */
export function CompaniesPage() {
  const purpose = usePurpose();
  const [params, setParams] = useSearchParams();
  const sort = parseCompanySort(params.get('sort'));
  const [typed, setTyped] = useState('');
  const namePrefix = useDebouncedValue(typed.trim(), 300);
  const pages = useCompanyPages(purpose, sort, namePrefix);
  const companies = pages.data?.pages.flatMap((page) => page.data) ?? [];

  return (
    <section className="page" aria-labelledby="companies-heading">
      <div className="page-header">
        <h1 id="companies-heading">Companies</h1>
        <p className="muted">The organisations your workspace deals with. A company holds no one&apos;s personal data: every purpose sees the same fields.</p>
      </div>
      <div className="toolbar">
        <SearchBox label="Find a company" description="The start of its name." value={typed} onChange={setTyped} />
        <ChoiceSelect label="Order" value={sort} choices={companySorts} onChange={(next) => setParams({ sort: next }, { replace: true })} />
      </div>
      {pages.isPending ? (
        <Loading what="companies" />
      ) : pages.isError ? (
        <ProblemNotice error={pages.error} title="The companies could not be loaded" />
      ) : companies.length === 0 ? (
        <p className="empty-state" role="status">
          {namePrefix ? 'No company name starts with that.' : 'No companies yet.'}
        </p>
      ) : (
        <>
          <p role="status">{countText(pages.data.pages[0], companies.length)}</p>
          <div className="record-table-box">
            <table className="record-table" aria-label="Companies">
              <thead>
                <tr>
                  <th scope="col">Name</th>
                  <th scope="col">Domain</th>
                  <th scope="col">Industry</th>
                  <th scope="col">Location</th>
                  <th scope="col">Employees</th>
                  <th scope="col">Created</th>
                </tr>
              </thead>
              <tbody>
                {companies.map((company) => (
                  <tr key={company.id}>
                    <td>
                      <Link className="row-link" to={`/companies/${company.id}`}>
                        {company.name}
                      </Link>
                    </td>
                    <td>{company.domain ?? <EmptyValue />}</td>
                    <td>{company.industry ?? <EmptyValue />}</td>
                    <td>{[company.city, company.country].filter(Boolean).join(', ') || <EmptyValue />}</td>
                    <td>{company.employeeCount === null ? <EmptyValue /> : formatCount(company.employeeCount)}</td>
                    <td>{formatDate(company.createdAt)}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
          {pages.hasNextPage && (
            <Button className="button companies-more" isPending={pages.isFetchingNextPage} onPress={() => void pages.fetchNextPage()}>
              Show more companies
            </Button>
          )}
        </>
      )}
    </section>
  );
}
