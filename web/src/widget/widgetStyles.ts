/*
 * The widget's look, inside its own shadow root: the embedding page's styles cannot reach it,
 * so "Reject all" and "Accept all" stay exactly alike (one class, equal grid columns) whatever
 * the page does. Applied as a constructed stylesheet where the browser has them, so a page
 * whose Content-Security-Policy allows no inline style still shows it.
 */
export const widgetCss = `
:host { all: initial; }
* { box-sizing: border-box; }
.backdrop { position: fixed; inset: 0; z-index: 2147483646; display: flex; align-items: flex-end; justify-content: center;
  padding: 16px; background: rgba(17, 24, 39, 0.45); font: 16px/1.5 system-ui, -apple-system, "Segoe UI", Roboto, sans-serif; color: #111827; }
.backdrop[hidden] { display: none; }
.panel { width: 100%; max-width: 640px; max-height: calc(100vh - 32px); overflow: auto; background: #ffffff; border-radius: 12px;
  padding: 24px; box-shadow: 0 10px 30px rgba(0, 0, 0, 0.25); }
h2 { margin: 0 0 8px; font-size: 20px; line-height: 1.3; }
p { margin: 0 0 8px; }
.intro, .gpc { color: #374151; }
.gpc { border-left: 4px solid #1d4ed8; padding-left: 8px; }
ul { list-style: none; margin: 16px 0; padding: 0; }
li { border-top: 1px solid #d1d5db; padding: 12px 0; }
.choice { display: flex; gap: 12px; align-items: flex-start; }
.choice input { width: 22px; height: 22px; margin: 2px 0 0; flex: none; accent-color: #1d4ed8; }
.choice label { font-weight: 600; }
.notice { margin: 4px 0 0 34px; font-size: 15px; color: #374151; }
.notice p:last-child { margin-bottom: 0; }
.note { margin: 4px 0 0 34px; font-size: 14px; color: #1e3a8a; }
.actions { display: grid; grid-template-columns: repeat(3, 1fr); gap: 12px; margin-top: 16px; }
@media (max-width: 520px) { .actions { grid-template-columns: 1fr; } }
.choice-button { width: 100%; min-height: 44px; margin: 0; padding: 10px 12px; border: 2px solid #1d4ed8; border-radius: 8px;
  background: #ffffff; color: #1e3a8a; font: 600 16px/1.2 system-ui, -apple-system, "Segoe UI", Roboto, sans-serif; cursor: pointer; }
.choice-button:hover { background: #eff6ff; }
button:focus-visible, input:focus-visible { outline: 3px solid #b45309; outline-offset: 2px; }
.status { min-height: 1.5em; margin: 8px 0 0; color: #991b1b; }
.launcher { position: fixed; left: 16px; bottom: 16px; z-index: 2147483645; padding: 8px 12px; border: 2px solid #1d4ed8; border-radius: 8px;
  background: #ffffff; color: #1e3a8a; font: 600 14px/1.2 system-ui, -apple-system, "Segoe UI", Roboto, sans-serif; cursor: pointer; }
.launcher[hidden] { display: none; }
`;
