import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { Button } from 'react-aria-components';
import { Link } from 'react-router';
import { api, forPurpose } from '../api/client.ts';
import { dataOf } from '../api/problem.ts';
import type { Contact } from '../api/types.ts';
import { contactName } from '../contacts/contactName.ts';
import { EmptyValue } from '../privacy/PersonalValue.tsx';
import { ConfirmDialog } from '../ui/ConfirmDialog.tsx';
import { formatDate } from '../ui/format.ts';
import { QueryPanel } from '../ui/QueryPanel.tsx';
import { forgetContactReads, mergeContact } from './contactWrites.ts';

const matchedOnText = (matchedOn: ReadonlyArray<'email' | 'phone'>) =>
  `Same ${matchedOn.map((field) => (field === 'email' ? 'e-mail address' : 'phone number')).join(' and ')}`;

type Duplicate = Contact & { matchedOn: Array<'email' | 'phone'> };

/** Other contacts with this one's e-mail address or phone number; one merged into this one after the user confirms. */
export function DuplicatesSection({ purpose, contact, name, mayMerge }: { purpose: string; contact: Contact; name: string; mayMerge: boolean }) {
  const queryClient = useQueryClient();
  const duplicates = useQuery({
    queryKey: ['duplicates', purpose, contact.id],
    queryFn: async () => dataOf(await api.GET('/api/v1/contacts/{id}/duplicates', { params: { path: { id: contact.id } }, headers: forPurpose(purpose) })).data,
  });
  const [chosen, setChosen] = useState<Duplicate | null>(null);
  const merge = useMutation({
    mutationFn: (duplicate: Duplicate) => mergeContact(purpose, contact.id, duplicate.id),
    onSuccess: async () => {
      setChosen(null);
      await forgetContactReads(queryClient);
    },
  });
  const chosenName = chosen ? (contactName(chosen) ?? 'the other contact') : '';
  return (
    <QueryPanel
      id="duplicates-heading"
      title="Possible duplicates"
      query={duplicates}
      what="possible duplicates"
      empty={(data) => (data.length === 0 ? 'No other contact has this e-mail address or phone number.' : null)}
    >
      {(data) => (
        <>
          <ul className="plain-list ruled">
            {data.map((duplicate) => {
              const duplicateName = contactName(duplicate) ?? 'Unnamed contact';
              return (
                <li key={duplicate.id} className="duplicate-item">
                  <div>
                    <Link to={`/contacts/${duplicate.id}`}>{duplicateName}</Link>
                    <p className="muted">
                      {matchedOnText(duplicate.matchedOn)} · created <time dateTime={duplicate.createdAt}>{formatDate(duplicate.createdAt)}</time> ·{' '}
                      {duplicate.email ?? <EmptyValue />}
                    </p>
                  </div>
                  {mayMerge && (
                    <Button className="button" onPress={() => setChosen(duplicate)}>
                      Merge into this contact<span className="visually-hidden">: {duplicateName}</span>
                    </Button>
                  )}
                </li>
              );
            })}
          </ul>
          <ConfirmDialog
            isOpen={chosen !== null}
            onOpenChange={(open) => {
              if (!open) {
                setChosen(null);
                merge.reset();
              }
            }}
            title="Merge these contacts?"
            confirmLabel="Merge"
            onConfirm={() => chosen && merge.mutate(chosen)}
            pending={merge.isPending}
            errorTitle="The contacts were not merged"
            error={merge.error}
          >
            <p>
              {chosenName} is merged into {name}: the values {name} lacks are taken from {chosenName}; their deals, activities, purchases and events move here,
              and {chosenName} is deleted. This cannot be undone.
            </p>
          </ConfirmDialog>
        </>
      )}
    </QueryPanel>
  );
}
