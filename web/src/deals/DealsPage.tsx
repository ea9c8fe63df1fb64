import { useSearchParams } from 'react-router';
import { Button } from 'react-aria-components';
import '../styles/deals.css';
import { purposeLabel } from '../purpose/purposeLabels.ts';
import { usePurpose } from '../session/sessionContext.ts';
import { Loading } from '../ui/Loading.tsx';
import { ChoiceSelect } from '../ui/ChoiceSelect.tsx';
import { ProblemNotice } from '../ui/ProblemNotice.tsx';
import { DealsBoard } from './DealsBoard.tsx';
import { PipelineCharts } from './PipelineCharts.tsx';
import { usePipelines, useStageTotals } from './useBoard.ts';
import { type MoveSetback, useMoveDeal } from './useMoveDeal.ts';

/** Why the last move did not happen, until the user dismisses it or moves again. */
function SetbackNotice({ setback, onDismiss }: { setback: NonNullable<MoveSetback>; onDismiss(): void }) {
  const dismiss = (
    <Button className="button button-quiet" onPress={onDismiss}>
      Dismiss
    </Button>
  );
  if (setback.kind === 'conflict') {
    return (
      <div className="notice notice-warning board-notice" role="alert">
        <p className="notice-title">{setback.dealName} was changed by someone else</p>
        <p>The move was not made. The board has been reloaded with the latest deals: check the deal and move it again if needed.</p>
        {dismiss}
      </div>
    );
  }
  return (
    <div className="board-notice">
      <ProblemNotice error={setback.error} title={`${setback.dealName} could not be moved; it is back where it was`} />
      {dismiss}
    </div>
  );
}

/** The deals of one pipeline as a board: a column per stage with its totals; a card dragged (or moved by keyboard) to another stage moves the deal. */
export function DealsPage() {
  const purpose = usePurpose();
  const [params, setParams] = useSearchParams();
  const pipelines = usePipelines(purpose);
  const pipeline = pipelines.data?.find((candidate) => candidate.id === params.get('pipeline')) ?? pipelines.data?.[0];
  const totals = useStageTotals(purpose, pipeline?.id);
  const { move, setback, dismiss } = useMoveDeal(purpose);

  return (
    <section className="page deals-page" aria-labelledby="deals-heading">
      <div className="page-header">
        <h1 id="deals-heading">Deals</h1>
        <p className="muted">
          Drag a deal to another stage, or focus its handle and press space, the arrow keys and space again. Acting for {purposeLabel(purpose)}.
        </p>
      </div>
      {pipelines.isPending ? (
        <Loading what="the pipelines" />
      ) : pipelines.isError ? (
        <ProblemNotice error={pipelines.error} title="The pipelines could not be loaded" />
      ) : !pipeline ? (
        <p className="empty-state">This workspace has no pipeline yet.</p>
      ) : (
        <>
          <div className="toolbar">
            <ChoiceSelect label="Pipeline" value={pipeline.id} choices={pipelines.data} onChange={(id) => setParams({ pipeline: id }, { replace: true })} />
          </div>
          {setback && <SetbackNotice setback={setback} onDismiss={dismiss} />}
          {totals.isError ? (
            <ProblemNotice error={totals.error} title="The deals could not be loaded" />
          ) : totals.isPending ? (
            <Loading what="the board" />
          ) : (
            <>
              <DealsBoard purpose={purpose} pipeline={pipeline} totals={totals.data} onMove={move} />
              <section className="pipeline-charts" aria-labelledby="pipeline-heading">
                <h2 id="pipeline-heading">Pipeline</h2>
                <PipelineCharts pipeline={pipeline} totals={totals.data} />
              </section>
            </>
          )}
        </>
      )}
    </section>
  );
}
