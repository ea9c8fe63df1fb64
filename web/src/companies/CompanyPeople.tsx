import { Link } from 'react-router';
import { contactName } from '../contacts/contactName.ts';
import { WithheldBadge } from '../privacy/PersonalValue.tsx';
import { withheldByField } from '../privacy/withheldReasons.ts';
import { purposeLabel } from '../purpose/purposeLabels.ts';
import { formatCount, humanise } from '../ui/format.ts';
import { QueryPanel } from '../ui/QueryPanel.tsx';
import { useCompanyContacts } from './useCompanies.ts';

/** The people of the company whom the purpose may process, each linking to their page. */
export function CompanyPeople({ purpose, companyId }: { purpose: string; companyId: string }) {
  const people = useCompanyContacts(purpose, companyId);
  return (
    <QueryPanel
      id="company-people-heading"
      title="Contacts"
      query={people}
      what="the contacts"
      empty={({ data }) => (data.length === 0 ? `No one here whom ${purposeLabel(purpose)} may process.` : null)}
    >
      {({ data, withheld, total, totalIsLowerBound }) => {
        const reasons = withheldByField(withheld, purpose);
        const nameWithheld = reasons.get('firstName') ?? reasons.get('lastName');
        return (
          <>
            <ul className="plain-list ruled company-people">
              {data.map((contact) => (
                <li key={contact.id}>
                  <Link to={`/contacts/${contact.id}`}>
                    {contactName(contact) ?? (nameWithheld ? <WithheldBadge reason={nameWithheld} /> : 'Unnamed contact')}
                  </Link>
                  <span className="muted">{humanise(contact.lifecycleStage)}</span>
                </li>
              ))}
            </ul>
            {total !== undefined && total > data.length && (
              <p className="muted">
                The first {formatCount(data.length)} of {totalIsLowerBound ? 'more than ' : ''}
                {formatCount(total)} are listed here.
              </p>
            )}
          </>
        );
      }}
    </QueryPanel>
  );
}
