import { asc } from 'drizzle-orm';
import { requireWorkspace, type Workspace } from '../../accounts/workspaces.ts';
import type { Database } from '../../db/connection.ts';
import { workspaces } from '../../db/schema/index.ts';
import { runRetentionSweep, type RetentionSweepReport } from '../../privacy/retention/retentionSweep.ts';
import type { CommandContext } from '../cliDatabase.ts';
import { createProgressBar, type ProgressBar } from '../progressBar.ts';

/** The lines `candor retention` prints for one workspace: counts, then (dry run) each subject by id and action. */
export function formatRetentionReport(slug: string, report: RetentionSweepReport): string {
  const verb = report.dryRun ? 'would' : 'did';
  const erased = report.subjects.filter((subject) => subject.action === 'erase').length;
  const anonymised = report.subjects.length - erased;
  const lines = [
    `${slug}: as of ${report.asOf.toISOString()}${report.dryRun ? ' (dry run: nothing changed)' : ''}`,
    `  ${verb} erase ${erased} and anonymise ${anonymised} subject(s); ${report.held.length} kept under a legal hold, ${report.restricted.length} restricted (Art. 18)`,
    `  ${verb} expire ${report.expiredEvents} event(s)${report.eventsBefore ? ` older than ${report.eventsBefore.toISOString()}` : ' (no period covers events)'}`,
  ];
  if (report.dryRun) for (const subject of report.subjects) lines.push(`  ${subject.action} ${subject.kind} ${subject.subjectId}`);
  else lines.push(`  ${report.proofs} proof(s) of deletion${report.runId ? ` (run ${report.runId}; GET /api/v1/retention/proofs?runId=${report.runId})` : ''}`);
  return `${lines.join('\n')}\n`;
}

export async function sweepWorkspaces(
  database: Database,
  context: CommandContext,
  options: { workspace?: string; asOf?: Date; dryRun: boolean },
): Promise<void> {
  const chosen: Workspace[] = options.workspace
    ? [await requireWorkspace(database.db, options.workspace)]
    : await database.db.select().from(workspaces).orderBy(asc(workspaces.slug));
  const asOf = options.asOf ?? new Date();
  for (const workspace of chosen) {
    // Made at the first batch, when the number of subjects due is known.
    let bar: ProgressBar | null = null;
    let report: RetentionSweepReport;
    try {
      report = await runRetentionSweep(database, workspace.id, {
        asOf,
        dryRun: options.dryRun,
        onProgress: (done, total) => {
          bar ??= createProgressBar({ label: `retention ${workspace.slug}`, total, stream: context.stderr });
          bar.update(done);
        },
      });
    } catch (error) {
      (bar as ProgressBar | null)?.fail();
      throw error;
    }
    (bar as ProgressBar | null)?.finish();
    context.stdout.write(formatRetentionReport(workspace.slug, report));
  }
}
