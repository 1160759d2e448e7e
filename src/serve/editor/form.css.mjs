// Styles of the form view, injected by the bundle (app.css is the page's).
export const CSS = `
.pf-bar { display: flex; gap: 4px; align-items: center; padding: 4px 8px; border-bottom: 1px solid #ccd; background: #f5f6f8; }
.pf-tab { border: 1px solid #aab; background: #fff; border-radius: 4px; padding: 3px 14px; }
.pf-tab[aria-selected="true"] { background: #1f4e8c; color: #fff; border-color: #1f4e8c; }
.pf-undo { margin-left: auto; display: flex; gap: 4px; }
.pf-panel { flex: 1; min-height: 0; overflow: auto; padding: 8px 12px 24px; font-size: 14px; }
.pf-panel[hidden] { display: none; }
.pf-box { border: 1px solid #d4d8e0; border-radius: 6px; margin: 0 0 12px; padding: 6px 10px 10px; }
.pf-box legend { font-weight: 600; padding: 0 4px; }
.pf-field { display: grid; grid-template-columns: 9em 1fr; gap: 2px 8px; align-items: start; margin: 6px 0; }
.pf-label { padding-top: 4px; color: #333; }
.pf-hint { grid-column: 2; color: #666; font-size: 12px; }
.pf-note { color: #666; font-style: italic; margin: 4px 0; }
.pf-bad { color: #b00020; }
.pf-say { min-height: 0; }
.pf-say:not(:empty) { padding: 4px 8px; margin-bottom: 8px; background: #eef4ff; border: 1px solid #b8c8e8; border-radius: 4px; }
.pf-say.pf-bad { background: #fff0f0; border-color: #e0a0a0; }
.pf-panel textarea, .pf-panel input[type=text], .pf-panel input[type=date], .pf-panel select { font: inherit; padding: 3px 5px; border: 1px solid #b8bec8; border-radius: 3px; width: 100%; }
.pf-panel input[type=date], .pf-panel select { width: auto; }
.pf-panel textarea { resize: vertical; overflow: hidden; line-height: 1.35; min-height: 1.9em; }
.pf-panel textarea:focus, .pf-panel input:focus, .pf-panel select:focus { outline: 2px solid #4a7fd0; outline-offset: -1px; }
.pf-points { list-style: none; margin: 0; padding: 0; }
.pf-points .pf-points { padding-left: 2.2em; }
.pf-row { display: flex; gap: 6px; align-items: flex-start; margin: 4px 0; flex-wrap: nowrap; }
.pf-row > textarea { flex: 1; }
.pf-num { min-width: 2.8em; padding-top: 4px; text-align: right; color: #555; }
.pf-tools { display: flex; gap: 2px; }
.pf-btn { padding: 2px 7px; min-width: 26px; border: 1px solid #b8bec8; background: #fff; border-radius: 3px; }
.pf-btn:hover { background: #eef2f8; }
.pf-btn.pf-off { visibility: hidden; }
.pf-btn.pf-del:hover { background: #fde8e8; }
.pf-btn.pf-wide { padding: 3px 10px; white-space: nowrap; flex-shrink: 0; }
.pf-grid > .pf-row { flex-wrap: wrap; align-items: center; }
.pf-app h3 { font-size: 14px; margin: 10px 0 4px; }
.pf-grid { overflow-x: auto; margin-bottom: 6px; }
.pf-table { border-collapse: collapse; width: 100%; table-layout: fixed; }
.pf-table th { background: #eef0f4; font-weight: 600; font-size: 13px; border: 1px solid #c8ccd4; padding: 3px 4px; }
.pf-table td { border: 1px solid #d4d8e0; padding: 1px; vertical-align: top; }
.pf-table td textarea { border: none; border-radius: 0; }
.pf-table .pf-n { text-align: center; color: #555; padding-top: 5px; }
.pf-table .pf-rt { border: none; padding: 1px 0 1px 4px; }
.pf-rtools { display: grid; grid-template-columns: repeat(2, 26px); gap: 2px; }
.pf-rtools .pf-btn { min-width: 0; padding: 1px 0; }
.pf-grid { min-width: 0; }
.pf-table { min-width: 36em; }
.pf-table .pf-odd { color: #666; font-style: italic; padding: 4px 6px; }
.pf-table tr.pf-section textarea { font-weight: 600; background: #f7f7f2; }
`;
