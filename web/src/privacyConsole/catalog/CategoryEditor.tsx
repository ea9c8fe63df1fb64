import { useState } from 'react';
import { Form } from 'react-aria-components';
import { humanise } from '../../ui/format.ts';
import { Loading } from '../../ui/Loading.tsx';
import { ProblemNotice } from '../../ui/ProblemNotice.tsx';
import { EditorActions } from '../EditorActions.tsx';
import { DataCategoryPicker } from './DataCategoryPicker.tsx';
import type { FieldDeclaration } from '../../api/types.ts';
import { useChangeDeclaration, useDataCategories } from './useCatalog.ts';

/** Changes one field's data category; the API makes the field special when the category is an Art. 9 one. */
export function CategoryEditor({ field, onClose }: { field: FieldDeclaration; onClose(changed: FieldDeclaration | null): void }) {
  const categories = useDataCategories();
  const change = useChangeDeclaration();
  const [category, setCategory] = useState<string | null>(field.dataCategory);
  const name = `${humanise(field.object)} ${field.field}`;
  return (
    <section className="panel console-form" aria-labelledby="category-edit-heading">
      <h2 id="category-edit-heading">Data category of {name}</h2>
      {categories.isPending ? (
        <Loading what="the data categories" />
      ) : categories.isError ? (
        <ProblemNotice error={categories.error} title="The data categories could not be loaded" />
      ) : (
        <Form
          className="stack"
          onSubmit={(event) => {
            event.preventDefault();
            if (!category || category === field.dataCategory) return onClose(null);
            change.mutate({ field, change: { dataCategory: category } }, { onSuccess: onClose });
          }}
        >
          <DataCategoryPicker categories={categories.data} value={category} onChange={setCategory} />
          {change.isError && <ProblemNotice error={change.error} title={`${name} was not changed`} />}
          <EditorActions saveLabel="Save the category" pending={change.isPending} canSave={category !== null} onCancel={() => onClose(null)} />
        </Form>
      )}
    </section>
  );
}
