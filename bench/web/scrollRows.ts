import type { Page } from 'playwright-core';
import { percentile } from '../measure.ts';
import { openTasks } from './inAppMove.ts';
import { clickUntilRows, contactRowsSelector, inPage, scrollRows } from './pageScripts.ts';
import type { WebFigure } from './webFigures.ts';

// The table's fixed row height (web/src/contacts/ContactsTable.tsx).
const rowHeight = 44;
const rowsPerStep = 4;

type ScrollRun = {
  quiet: number[];
  long: { frames: number; ms: number; scriptMs: number; styleAndLayoutMs: number } | null;
  allFrames: number[];
  scrollFrames: number[];
  rowCounts: number[];
  waitedMs: number;
  pagesWaitedFor: number;
  totalMs: number;
  scrollTop: number;
  lastRowShown: number;
};

/**
 * (b) Scrolls the contacts table from the top through `targetRows` rows, `rowsPerStep` rows a
 * frame, the app fetching further pages as it goes; counts the <tr> in the whole document
 * at every frame and times every frame.
 */
export async function measureScroll(page: Page, origin: string, targetRows: number, progress: (line: string) => void): Promise<WebFigure[]> {
  await openTasks(page, origin);
  await page.evaluate(inPage(clickUntilRows, { link: 'Contacts', rows: contactRowsSelector }));
  await page.waitForLoadState('networkidle');
  const run = (await page.evaluate(
    inPage(scrollRows, { scroller: '.table-scroller', rowHeight, targetRows, rowsPerStep, maxWaitMs: 60_000, idleFrames: 120 }),
  )) as ScrollRun;
  const maxRows = Math.max(...run.rowCounts);
  const scrolling = percentile(run.scrollFrames, 95);
  const all = percentile(run.allFrames, 95);
  const quiet = percentile(run.quiet, 95);
  const share = (part: number) => (run.long && run.long.ms > 0 ? `${Math.round((100 * part) / run.long.ms)}%` : 'n/a');
  const longFrames = run.long
    ? `; ${run.long.frames} long animation frames (> 50 ms, ${(run.long.ms / 1000).toFixed(1)} s): ${share(run.long.scriptMs)} in scripts, ${share(run.long.styleAndLayoutMs)} in style and layout`
    : '';
  progress(
    `scroll: ${targetRows} rows in ${(run.totalMs / 1000).toFixed(1)} s (${run.pagesWaitedFor} waits for a page, ${(run.waitedMs / 1000).toFixed(1)} s), at most ${maxRows} <tr>, p95 frame ${scrolling.toFixed(1)} ms scrolling, ${all.toFixed(1)} ms overall, ${quiet.toFixed(1)} ms at rest${longFrames}`,
  );
  const how = `the table's scroller moved ${rowsPerStep} rows (${rowsPerStep * rowHeight} px) a frame from the top until row ${targetRows.toLocaleString('en')} is at its top (last row rendered: ${run.lastRowShown.toLocaleString('en')}); the app loads pages of 100 as it goes`;
  return [
    {
      name: `row elements in the page while scrolling through ${targetRows.toLocaleString('en')} rows, most at any frame`,
      value: maxRows,
      unit: 'tr elements',
      target: '< 100',
      samples: run.rowCounts.length,
      how: `${how}; document.querySelectorAll('tr') counted at every animation frame (header row included)`,
    },
    {
      name: `frame time while scrolling through ${targetRows.toLocaleString('en')} rows, p95 (frames that scrolled)`,
      value: scrolling,
      unit: 'ms',
      target: null,
      samples: run.scrollFrames.length,
      how: `${how}; requestAnimationFrame to requestAnimationFrame across each frame that moved the scroller; longest ${Math.max(...run.scrollFrames).toFixed(1)} ms, p50 ${percentile(run.scrollFrames, 50).toFixed(1)} ms${longFrames}`,
    },
    {
      name: `frame time while scrolling through ${targetRows.toLocaleString('en')} rows, p95 (every frame, waits for pages included)`,
      value: all,
      unit: 'ms',
      target: null,
      samples: run.allFrames.length,
      how: `as above, every frame from the first step to 10 frames after the last; ${run.pagesWaitedFor} times at the end of the loaded rows, ${(run.waitedMs / 1000).toFixed(1)} s waiting in all`,
    },
    {
      name: 'frame time of the contacts page at rest, just before the scroll, p95 (the machine’s pace: a reference for the above)',
      value: quiet,
      unit: 'ms',
      target: null,
      samples: run.quiet.length,
      how: `${run.quiet.length} animation frames with nothing scrolling, the rows rendered; p50 ${percentile(run.quiet, 50).toFixed(1)} ms`,
    },
  ];
}
