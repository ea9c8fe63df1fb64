import { useMemo, useState } from 'react';
import { Button, Checkbox, FieldError, Form, Label, Text, TextArea, TextField } from 'react-aria-components';
import { fieldReasons } from '../../api/problem.ts';
import type { PurposeNotice } from '../../api/types.ts';
import { formatDateTime } from '../../ui/format.ts';
import { ConfirmButton } from '../../ui/ConfirmButton.tsx';
import { ProblemNotice } from '../../ui/ProblemNotice.tsx';
import { TextInput } from '../../ui/TextInput.tsx';
import { useDebouncedValue } from '../../ui/useDebouncedValue.ts';
import { blocksText, parseMarkdown } from './markdownBlocks.ts';
import { NoticePreview } from './NoticePreview.tsx';
import { readabilityLabel, readabilityOf } from './readability.ts';
import { useNoticeActions, type DraftText } from './useNotices.ts';

type NoticeEditorProps = {
  purposeKey: string;
  purposeName: string;
  draft: PurposeNotice | undefined;
  published: PurposeNotice | undefined;
  /** Says what was done (the editor is drawn anew over the saved text, so the message lives above it); null clears it. */
  onDone(message: string | null): void;
};

const defaultGraceDays = 30;

/**
 * The draft of a purpose's notice: its title and Markdown with the readability scored as it
 * is typed and a preview, saved under If-Match; then published, as a material change (people
 * asked before must agree again once the grace days have passed) or not. Without a draft it
 * starts from the published text, and the first save makes the draft.
 */
export function NoticeEditor({ purposeKey, purposeName, draft, published, onDone: setDone }: NoticeEditorProps) {
  const start = draft ?? published;
  const [text, setText] = useState<DraftText>({
    title: start?.title ?? purposeName,
    bodyMarkdown: start?.bodyMarkdown ?? '',
    language: start?.language ?? 'en',
  });
  const [material, setMaterial] = useState(false);
  const [graceDays, setGraceDays] = useState(String(defaultGraceDays));
  const { save, publish, discard } = useNoticeActions(purposeKey, draft);
  const blocks = useMemo(() => parseMarkdown(text.bodyMarkdown), [text.bodyMarkdown]);
  const score = readabilityLabel(useMemo(() => readabilityOf(blocksText(blocks)), [blocks]));
  // Screen readers hear the score once typing pauses, not at every key.
  const spokenScore = useDebouncedValue(score, 800);
  const failure = save.error ?? publish.error;
  const validationErrors = useMemo(() => fieldReasons(failure), [failure]);
  const edit = (change: Partial<DraftText>) => {
    setDone(null);
    setText((current) => ({ ...current, ...change }));
  };

  return (
    <div className="notice-editor">
      <Form
        className="stack notice-draft-form"
        validationErrors={validationErrors}
        onSubmit={(event) => {
          event.preventDefault();
          save.mutate(text, { onSuccess: (saved) => setDone(`Draft of version ${saved.version} saved.`) });
        }}
      >
        <h2 id="notice-draft-heading">{draft ? `Draft of version ${draft.version}` : 'New draft'}</h2>
        <TextInput name="title" label="Title" value={text.title} onChange={(title) => edit({ title })} isRequired maxLength={200} />
        <TextInput
          name="language"
          label="Language"
          description="A BCP 47 tag, such as en, de or pt-BR"
          value={text.language}
          onChange={(language) => edit({ language })}
          isRequired
          maxLength={35}
        />
        <TextField className="field" name="bodyMarkdown" value={text.bodyMarkdown} onChange={(bodyMarkdown) => edit({ bodyMarkdown })} isRequired>
          <Label>Notice (Markdown)</Label>
          <TextArea rows={12} className="notice-textarea" />
          <Text slot="description">Headings (#), lists (-, 1.), **bold**, *emphasis* and links; no HTML. Short sentences and everyday words score higher.</Text>
          <FieldError />
        </TextField>
        <p className="readability-score" aria-hidden="true">
          {score}
        </p>
        <p className="visually-hidden" role="status">
          Readability {spokenScore}
        </p>
        <div className="form-actions">
          <Button type="submit" className="button button-primary" isPending={save.isPending}>
            Save draft
          </Button>
          {draft && (
            <ConfirmButton
              label="Discard draft"
              question={`Discard the draft of version ${draft.version}?`}
              confirm="Discard draft"
              cancel="Keep it"
              action={{ ...discard, mutate: () => discard.mutate(undefined, { onSuccess: () => setDone('Draft discarded.') }) }}
              failure="The draft was not discarded"
            >
              Its text is lost; the published notice stays as it is.
            </ConfirmButton>
          )}
        </div>
      </Form>
      <NoticePreview title={text.title} language={text.language} blocks={blocks} />
      <Form
        className="stack notice-publish-form"
        aria-labelledby="notice-publish-heading"
        validationErrors={validationErrors}
        onSubmit={(event) => {
          event.preventDefault();
          const publication = { material, renewalGraceDays: material ? Number(graceDays) : null };
          publish.mutate(
            { text, publication },
            {
              onSuccess: (notice) =>
                setDone(
                  notice.renewBy
                    ? `Version ${notice.version} published. Consents given under older versions count until ${formatDateTime(notice.renewBy)}.`
                    : `Version ${notice.version} published.`,
                ),
            },
          );
        }}
      >
        <h2 id="notice-publish-heading">Publish</h2>
        <Checkbox className="checkbox" isSelected={material} onChange={setMaterial}>
          <span className="checkbox-box" aria-hidden="true" />
          Material change: people who agreed to an older version must agree again
        </Checkbox>
        {material && (
          <TextInput
            name="renewalGraceDays"
            label="Grace period (days)"
            description="Until then, consents given under older versions still count; people are asked again at their next visit or e-mail."
            type="number"
            inputMode="numeric"
            value={graceDays}
            onChange={setGraceDays}
            isRequired
          />
        )}
        <div className="form-actions">
          <Button type="submit" className="button button-primary" isPending={publish.isPending}>
            {draft ? `Publish version ${draft.version}` : 'Publish'}
          </Button>
        </div>
      </Form>
      {failure !== null && <ProblemNotice error={failure} title="The notice was not saved" fieldsShown={Object.keys(validationErrors).length > 0} />}
    </div>
  );
}
