import { useState } from 'react';
import { purposeLabel } from '../../purpose/purposeLabels.ts';
import { humanise } from '../../ui/format.ts';
import { Loading } from '../../ui/Loading.tsx';
import { ProblemNotice } from '../../ui/ProblemNotice.tsx';
import { RowEditButton } from '../EditorActions.tsx';
import { CategoryEditor } from './CategoryEditor.tsx';
import type { FieldDeclaration } from '../../api/types.ts';
import { useCatalog } from './useCatalog.ts';

const fieldId = (field: FieldDeclaration) => `${field.object}.${field.field}`;

function byObject(fields: FieldDeclaration[]): Map<string, FieldDeclaration[]> {
  const groups = new Map<string, FieldDeclaration[]>();
  for (const field of fields) groups.set(field.object, [...(groups.get(field.object) ?? []), field]);
  return groups;
}

/** The data catalog: every personal field per object with its fideslang category, sensitivity and purposes. */
export function CatalogPage() {
  const catalog = useCatalog();
  const [editing, setEditing] = useState<string | null>(null);
  const [saved, setSaved] = useState<FieldDeclaration | null>(null);
  const editedField = catalog.data?.find((field) => fieldId(field) === editing);
  return (
    <section className="page" aria-labelledby="catalog-heading">
      <header className="page-header">
        <h1 id="catalog-heading">Data catalog</h1>
        <p className="muted">Every personal field Candor stores, what it holds (its fideslang data category) and the purposes that may use it.</p>
      </header>
      {saved && (
        <p className="notice notice-success" role="status">
          {humanise(saved.object)} {saved.field} is now declared as <code>{saved.dataCategory}</code> ({saved.sensitivity}).
        </p>
      )}
      {editedField && (
        <CategoryEditor
          key={fieldId(editedField)}
          field={editedField}
          onClose={(changed) => {
            setEditing(null);
            setSaved(changed);
          }}
        />
      )}
      {catalog.isPending ? (
        <Loading what="the catalog" />
      ) : catalog.isError ? (
        <ProblemNotice error={catalog.error} title="The catalog could not be loaded" />
      ) : (
        [...byObject(catalog.data)].map(([object, fields]) => (
          <section key={object} className="panel" aria-labelledby={`catalog-${object}`}>
            <h2 id={`catalog-${object}`}>{humanise(object)} fields</h2>
            <div className="console-table-wrap">
              <table className="console-table catalog-table" aria-labelledby={`catalog-${object}`}>
                <thead>
                  <tr>
                    <th scope="col" className="column-field">
                      Field
                    </th>
                    <th scope="col" className="column-category">
                      Data category
                    </th>
                    <th scope="col" className="column-sensitivity">
                      Sensitivity
                    </th>
                    <th scope="col">Purposes</th>
                    <th scope="col" className="column-actions">
                      <span className="visually-hidden">Actions</span>
                    </th>
                  </tr>
                </thead>
                <tbody>
                  {fields.map((field) => (
                    <tr key={field.field}>
                      <th scope="row">
                        <code>{field.field}</code>
                        {field.origin === 'custom_field' && <span className="badge">custom</span>}
                      </th>
                      <td>
                        <code>{field.dataCategory}</code>
                      </td>
                      <td>{field.sensitivity === 'special' ? <strong>Special (Art. 9)</strong> : 'Ordinary'}</td>
                      <td>{field.purposes.length > 0 ? field.purposes.map(purposeLabel).join(', ') : <span className="muted">No purpose</span>}</td>
                      <td>
                        <RowEditButton
                          label="Change category"
                          rowName={`of ${object} ${field.field}`}
                          onPress={() => {
                            setSaved(null);
                            setEditing(fieldId(field));
                          }}
                        />
                      </td>
                    </tr>
                  ))}
                </tbody>
              </table>
            </div>
          </section>
        ))
      )}
    </section>
  );
}
