/*
 * What runs inside the page, as JavaScript text: this Node project has no DOM types, and a
 * function handed to page.evaluate() would be serialised after tsx compiled it, with helper
 * calls (__name) the page does not have. Each script is a function expression, called with
 * one JSON argument by `inPage`. Times are the page's performance.now(), so no round trip
 * between Node and the browser falls inside a measurement.
 */

/** An expression calling `script` with `argument`, for page.evaluate(). */
export const inPage = (script: string, argument: unknown) => `(${script})(${JSON.stringify(argument)})`;

/** The rows of the contacts table: present once the first one has its text. */
export const contactRowsSelector = 'table[aria-label="Contacts"] tbody tr';

const rowsReady = `(selector) => {
  const rows = document.querySelectorAll(selector);
  return rows.length > 0 && (rows[0].textContent || '').trim() !== '' ? rows.length : 0;
}`;

/**
 * Clicks the navigation link named `link` and resolves when the rows are in the document
 * (a MutationObserver sees them as React commits them) and at the next animation frame.
 */
export const clickUntilRows = `async ({ link, rows }) => {
  const ready = ${rowsReady};
  const anchor = [...document.querySelectorAll('nav a')].find((a) => (a.textContent || '').trim() === link);
  if (!anchor) throw new Error('no navigation link ' + link);
  if (ready(rows)) throw new Error('rows are on the page before the move');
  return await new Promise((resolve) => {
    const start = performance.now();
    const observer = new MutationObserver(() => {
      const count = ready(rows);
      if (!count) return;
      const inDocument = performance.now() - start;
      observer.disconnect();
      requestAnimationFrame(() => resolve({ inDocument, nextFrame: performance.now() - start, count }));
    });
    observer.observe(document.body, { childList: true, subtree: true, characterData: true });
    anchor.click();
  });
}`;

/** The baseline: the same GET with the same purpose header, from the same page, until its body is parsed. */
export const fetchJson = `async ({ url, headers }) => {
  const start = performance.now();
  const response = await fetch(url, { headers, credentials: 'same-origin' });
  const body = await response.json();
  return { ms: performance.now() - start, status: response.status, rows: Array.isArray(body.data) ? body.data.length : -1, total: typeof body.total === 'number' ? body.total : null, totalIsLowerBound: body.totalIsLowerBound === true };
}`;

/**
 * Before any script of a cold page: window.__candorRowsAt, a promise of when the rows first
 * appear, in milliseconds since the navigation started (performance.now()'s origin).
 */
export const noteWhenRowsAppear = (rows: string) => `(() => {
  const ready = ${rowsReady};
  window.__candorRowsAt = new Promise((resolve) => {
    const observer = new MutationObserver(() => {
      if (!ready(${JSON.stringify(rows)})) return;
      resolve(performance.now());
      observer.disconnect();
    });
    observer.observe(document, { childList: true, subtree: true, characterData: true });
  });
})();`;

/** Resolves with the time noted by noteWhenRowsAppear (no waitForFunction: the page's CSP forbids its eval). */
export const rowsAppeared = `async ({ timeoutMs }) =>
  await Promise.race([window.__candorRowsAt, new Promise((_, reject) => setTimeout(() => reject(new Error('no rows after ' + timeoutMs + ' ms')), timeoutMs))])`;

/**
 * Times `idleFrames` frames of the page at rest (the machine's own pace), then scrolls the
 * table's scroller down `rowsPerStep` rows a frame until row `targetRows` is at
 * the top; at the end of the loaded rows it waits (frame by frame) for the app to append the
 * next page. Returns every frame's duration, those of the frames that scrolled, the number of
 * <tr> in the document at each frame, and how long it waited for pages.
 */
export const scrollRows = `async ({ scroller, rowHeight, targetRows, rowsPerStep, maxWaitMs, idleFrames }) => {
  const element = document.querySelector(scroller);
  if (!element) throw new Error('no ' + scroller);
  let last = await new Promise((resolve) => requestAnimationFrame(resolve));
  const allFrames = [];
  const scrollFrames = [];
  const rowCounts = [];
  const frame = async () => {
    const at = await new Promise((resolve) => requestAnimationFrame(resolve));
    const duration = at - last;
    last = at;
    allFrames.push(duration);
    rowCounts.push(document.querySelectorAll('tr').length);
    return duration;
  };
  for (let idle = 0; idle < idleFrames; idle += 1) await frame();
  const quiet = allFrames.splice(0);
  // Where the time of frames over 50 ms goes (Long Animation Frames API): scripts, or style and layout.
  const long = { frames: 0, ms: 0, scriptMs: 0, styleAndLayoutMs: 0 };
  const longFrames = PerformanceObserver.supportedEntryTypes.includes('long-animation-frame')
    ? new PerformanceObserver((list) => {
        for (const entry of list.getEntries()) {
          long.frames += 1;
          long.ms += entry.duration;
          long.scriptMs += entry.scripts.reduce((sum, script) => sum + script.duration, 0);
          long.styleAndLayoutMs += entry.startTime + entry.duration - entry.styleAndLayoutStart;
        }
      })
    : null;
  longFrames?.observe({ type: 'long-animation-frame' });
  const goal = targetRows * rowHeight;
  const started = performance.now();
  let waitedMs = 0;
  let pagesWaitedFor = 0;
  while (element.scrollTop < goal) {
    const before = element.scrollTop;
    element.scrollTop = Math.min(goal, before + rowsPerStep * rowHeight);
    scrollFrames.push(await frame());
    if (element.scrollTop > before) continue;
    const waitStart = performance.now();
    pagesWaitedFor += 1;
    while (element.scrollHeight - element.clientHeight <= element.scrollTop + 1) {
      if (performance.now() - waitStart > maxWaitMs) throw new Error('no further rows after ' + element.scrollTop + 'px');
      await frame();
    }
    waitedMs += performance.now() - waitStart;
  }
  for (let settle = 0; settle < 10; settle += 1) await frame();
  longFrames?.disconnect();
  const indexes = [...document.querySelectorAll('tbody tr[aria-rowindex]')].map((row) => Number(row.getAttribute('aria-rowindex')) - 1);
  return { quiet, long: longFrames ? long : null, allFrames, scrollFrames, rowCounts, waitedMs, pagesWaitedFor, totalMs: performance.now() - started, scrollTop: element.scrollTop, lastRowShown: Math.max(...indexes) };
}`;
