import { useMutation, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { Button } from 'react-aria-components';
import type { SavedView } from '../api/types.ts';
import { ChoiceSelect } from '../ui/ChoiceSelect.tsx';
import { ConfirmButton } from '../ui/ConfirmButton.tsx';
import { ProblemNotice } from '../ui/ProblemNotice.tsx';
import { createView, deleteView, savedViewsKey, updateView, useSavedViews, type ViewContent, type ViewObject } from './savedViewQueries.ts';
import { ViewNameDialog } from './ViewNameDialog.tsx';
import '../styles/savedViews.css';

type SavedViewsBarProps = {
  object: ViewObject;
  owner: string | undefined;
  /** The open view's id, from the page's address (null: none). */
  openViewId: string | null;
  /** What the page shows now, as a view would store it, and whether that differs from the open view. */
  content: ViewContent;
  isChanged(view: SavedView): boolean;
  /** Show a view (its filters, sort and columns), or the list as it opens (null). */
  onOpen(view: SavedView | null): void;
  /** The open view is gone: the page keeps what it shows, as no view. */
  onClosed(): void;
};

const noView = 'none';

/**
 * The user's saved views of a list: pick one to show it; save what the page shows under a
 * name, update the open view with it once it differs, rename or delete the open view.
 */
export function SavedViewsBar({ object, owner, openViewId, content, isChanged, onOpen, onClosed }: SavedViewsBarProps) {
  const queryClient = useQueryClient();
  const views = useSavedViews(object, owner);
  const [dialog, setDialog] = useState<'save' | 'rename' | null>(null);
  const [done, setDone] = useState('');
  const openView = views.data?.find((view) => view.id === openViewId);
  const refresh = () => queryClient.invalidateQueries({ queryKey: savedViewsKey(object, owner) });

  const update = useMutation({
    mutationFn: (view: SavedView) => updateView(view, content),
    onSuccess: async (view) => {
      await refresh();
      setDone(`The view “${view.name}” was updated.`);
    },
  });
  const remove = useMutation({
    mutationFn: () => (openView ? deleteView(openView) : Promise.resolve()),
    onSuccess: async () => {
      setDone(`The view “${openView?.name ?? ''}” was deleted.`);
      onClosed();
      await refresh();
    },
  });

  const saveNew = async (name: string) => {
    const view = await createView(object, name, content);
    await refresh();
    setDone(`The view “${view.name}” was saved.`);
    onOpen(view);
  };
  const rename = async (name: string) => {
    if (!openView) return;
    const view = await updateView(openView, { name });
    await refresh();
    setDone(`The view was renamed “${view.name}”.`);
  };

  return (
    <fieldset className="views-bar">
      <legend className="visually-hidden">Saved views</legend>
      {views.isPending ? (
        <p className="muted views-state">Loading your views…</p>
      ) : views.isError ? (
        <ProblemNotice error={views.error} title="Your views could not be loaded" />
      ) : views.data.length === 0 ? (
        <p className="muted views-state">No saved views yet: choose filters, sort and columns, then save them as a view.</p>
      ) : (
        <ChoiceSelect
          label="View"
          value={openView?.id ?? noView}
          choices={[{ id: noView, name: 'No view (the list as it opens)' }, ...views.data.map((view) => ({ id: view.id, name: view.name }))]}
          onChange={(id) => {
            setDone('');
            onOpen(views.data.find((view) => view.id === id) ?? null);
          }}
        />
      )}
      <div className="views-actions">
        <Button className="button" onPress={() => setDialog('save')}>
          {openView ? 'Save as new view' : 'Save view'}
        </Button>
        {openView && isChanged(openView) && (
          <Button className="button button-primary" onPress={() => update.mutate(openView)} isPending={update.isPending}>
            Update view
          </Button>
        )}
        {openView && (
          <Button className="button" onPress={() => setDialog('rename')}>
            Rename view
          </Button>
        )}
        {openView && (
          <ConfirmButton
            label="Delete view"
            question={`Delete the view “${openView.name}”?`}
            confirm="Delete the view"
            cancel="Keep it"
            action={remove}
            failure="The view was not deleted"
          >
            <p>Nothing in the list changes: only this view's saved filters, sort and columns go.</p>
          </ConfirmButton>
        )}
      </div>
      <p className="views-done" role="status">
        {done}
      </p>
      {update.isError && <ProblemNotice error={update.error} title="The view was not updated" />}
      <ViewNameDialog
        isOpen={dialog === 'save'}
        onOpenChange={(isOpen) => setDialog(isOpen ? 'save' : null)}
        title="Save the view"
        initialName=""
        submitLabel="Save view"
        onSubmit={saveNew}
      />
      <ViewNameDialog
        isOpen={dialog === 'rename'}
        onOpenChange={(isOpen) => setDialog(isOpen ? 'rename' : null)}
        title="Rename the view"
        initialName={openView?.name ?? ''}
        submitLabel="Rename"
        onSubmit={rename}
      />
    </fieldset>
  );
}
