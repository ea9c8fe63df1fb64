import { Link, useParams } from 'react-router';
import { problemIn } from '../api/problem.ts';
import { contactName } from '../contacts/contactName.ts';
import { WithheldValue } from '../privacy/PersonalValue.tsx';
import { withheldByField } from '../privacy/withheldReasons.ts';
import { useUsesPrivacyConsole } from '../privacyConsole/useConsoleAccess.ts';
import { purposeLabel } from '../purpose/purposeLabels.ts';
import { usePurpose, useSession } from '../session/sessionContext.ts';
import { usePermission } from '../session/usePermission.ts';
import { Loading } from '../ui/Loading.tsx';
import { ProblemNotice } from '../ui/ProblemNotice.tsx';
import { CompanySection } from './CompanySection.tsx';
import { ContactDetails } from './ContactDetails.tsx';
import { DealsSection } from './DealsSection.tsx';
import { TimelineSection } from './TimelineSection.tsx';
import { ConsentSection } from '../consent/ConsentSection.tsx';
import { LogActivityForm } from '../activities/LogActivityForm.tsx';
import { DeleteContactButton } from '../contactEditing/DeleteContactButton.tsx';
import { DuplicatesSection } from '../contactEditing/DuplicatesSection.tsx';
import '../styles/contactEditing.css';
import { useContactRecord } from './useContactRecord.ts';
import { AccessExportsSection } from './accessExports/AccessExportsSection.tsx';
import { useMakesAccessExports } from './accessExports/useAccessExports.ts';

/** One person: their fields as the purpose may see them, their company, deals and timeline. */
export function ContactPage() {
  const { id = '' } = useParams();
  const purpose = usePurpose();
  const { me } = useSession();
  const record = useContactRecord(purpose, id);
  // Deleting, and merging (the duplicate is deleted), need contact:delete.
  const mayDelete = usePermission('contact:delete');
  const seesAccessTrail = useUsesPrivacyConsole();
  const placesLegalHolds = usePermission('legal_hold:write');
  const makesAccessExports = useMakesAccessExports();

  if (record.isPending) return <Loading what="the contact" />;
  if (record.isError) {
    const notFound = problemIn(record.error)?.status === 404 || problemIn(record.error)?.code === 'validation_failed';
    return (
      <section className="page">
        <p>
          <Link to="/contacts">← Contacts</Link>
        </p>
        <ProblemNotice error={record.error} title={notFound ? 'No such contact' : 'The contact could not be loaded'} />
      </section>
    );
  }
  const { data: contact, withheld: withheldList } = record.data;
  const withheld = withheldByField(withheldList, purpose);
  const name = contactName(contact);
  const nameWithheld = withheld.get('firstName') ?? withheld.get('lastName');
  return (
    <article className="page contact-page" aria-labelledby="contact-heading">
      <p className="breadcrumb">
        <Link to="/contacts">← Contacts</Link>
      </p>
      <header className="contact-header">
        <h1 id="contact-heading">{name ?? (nameWithheld ? <WithheldValue reason={nameWithheld} /> : 'Unnamed contact')}</h1>
        <p className="muted">
          Shown as {purposeLabel(purpose)} may see it
          {withheldList.length > 0 ? `: ${withheld.size} ${withheld.size === 1 ? 'field is' : 'fields are'} withheld.` : '.'}
        </p>
        <div className="contact-actions">
          <Link className="button" to={`/contacts/${contact.id}/edit`}>
            Edit
          </Link>
          {mayDelete && <DeleteContactButton contact={contact} name={name ?? 'This contact'} />}
          {seesAccessTrail && <Link to={`/privacy/access-trail/${contact.id}`}>Who accessed this person&apos;s data</Link>}
          {placesLegalHolds && <Link to={`/privacy/legal-holds?subject=${contact.id}`}>Place a legal hold</Link>}
        </div>
      </header>
      <div className="contact-layout">
        <section className="panel" aria-labelledby="details-heading">
          <h2 id="details-heading">Details</h2>
          {me && <ContactDetails contact={contact} withheld={withheld} me={me} />}
        </section>
        <div className="contact-side">
          <CompanySection purpose={purpose} companyId={contact.companyId} />
          <DealsSection purpose={purpose} of={{ contactId: contact.id }} emptyText="In no deal." />
          <DuplicatesSection purpose={purpose} contact={contact} name={name ?? 'this contact'} mayMerge={mayDelete} />
        </div>
        <LogActivityForm purpose={purpose} contactId={contact.id} />
        <TimelineSection purpose={purpose} contactId={contact.id} />
        <ConsentSection purpose={purpose} contactId={contact.id} />
        {makesAccessExports && <AccessExportsSection contactId={contact.id} />}
      </div>
    </article>
  );
}
