// Whether the open assessment is kept in this browser: nothing to say while it is, and a
// line in the bar, with the way out, from a failed save until a save succeeds.

import { h } from './dom.js';

/** What a failed save says: why, and what to do now. */
export function unsavedMessage(app, error) {
  const full = error?.name === 'QuotaExceededError' || error?.code === 22 || /quota|full|exceed/i.test(String(error?.message));
  const why = full
    ? 'this browser’s storage for this page is full'
    : `this browser refused to keep it (${String(error?.message ?? error).slice(0, 200)})`;
  return `Not saved: ${why}. Your latest changes exist only in this window. Download the file now to keep them; `
    + 'deleting assessments you no longer need in Saved work makes room, and the next change is then saved again.';
}

/** The bar's save status: null while saved, else a marked line with a download button. */
export function saveStatus(app) {
  if (!app.unsaved || app.readOnly) return null;
  return h('p', { class: 'save-status unsaved', 'data-k': 'save-status', 'data-state': 'unsaved' },
    h('strong', { text: 'Not saved' }),
    h('span', { text: ' in this browser. ' }),
    h('button', { type: 'button', class: 'small', 'data-k': 'save-status-export', onclick: () => app.exportJson() }, 'Download the file now'));
}
