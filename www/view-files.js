// Saved work: the assessment's details, export and import, the assessments kept in this
// browser, clearing stored data. Fetched when first shown.

import { h } from './dom.js';
import { importControl, savedList } from './view-start.js';

/** Saved work: this assessment's details, export, import, the list, clearing. */
export function renderFiles(app) {
  const { doc } = app;
  const rd = app.roundDraft ??= { label: '', date: '' };
  return h('div', { class: 'files' },
    h('section', { class: 'card', 'aria-labelledby': 'this-title' },
      h('h2', { id: 'this-title' }, 'This assessment', app.headingContext()),
      h('label', { class: 'field' }, 'Area name',
        h('input', {
          type: 'text', value: doc.area, 'data-k': 'area-name', required: true,
          onchange: (e) => app.edit({ op: 'set_area', area: e.target.value.trim() }, 'Area renamed'),
        })),
      h('div', { class: 'table-wrap' }, h('table', { class: 'rounds-table' },
        h('caption', { text: 'Rounds' }),
        h('thead', null, h('tr', null, h('th', { scope: 'col', text: 'Name' }), h('th', { scope: 'col', text: 'Date' }),
          h('th', { scope: 'col', text: 'Id in files' }), h('th', { scope: 'col' }, h('span', { class: 'visually-hidden', text: 'Remove' })))),
        h('tbody', null, doc.rounds.map((r) => {
          const set = (patch) => app.edit({ op: 'set_round', id: r.id, label: r.label, date: r.date ?? null, ...patch }, 'Round updated');
          return h('tr', null,
            h('td', null, h('input', { type: 'text', value: r.label, 'aria-label': `Name of round ${r.id}`, 'data-k': `round-label:${r.id}`, onchange: (e) => set({ label: e.target.value }) })),
            h('td', null, h('input', { type: 'date', value: r.date ?? '', 'aria-label': `Date of round ${r.id}`, 'data-k': `round-date:${r.id}`, onchange: (e) => set({ date: e.target.value || null }) })),
            h('td', null, h('code', { text: r.id })),
            h('td', null, doc.rounds.length > 1 ? h('button', {
              type: 'button', class: 'quiet small', 'data-k': `round-remove:${r.id}`,
              onclick: async () => {
                if (await app.confirm(`Remove ${r.label}?`, `The round “${r.label}” and every score in it will be removed. Undo brings it back.`, 'Remove round')) {
                  app.edit({ op: 'remove_round', id: r.id }, `Removed ${r.label}`);
                }
              },
            }, 'Remove', h('span', { class: 'visually-hidden', text: ` ${r.label}` })) : null));
        })))),
      h('form', {
        class: 'add-round',
        onsubmit: (e) => {
          e.preventDefault();
          const edit = { op: 'add_round', label: rd.label.trim() };
          if (rd.date) edit.date = rd.date;
          if (app.edit(edit, `Round added: ${edit.label}`)) {
            Object.assign(rd, { label: '', date: '' });
            // A focused box keeps what it shows through a render: clear it here.
            for (const input of e.currentTarget.querySelectorAll('input')) input.value = '';
          }
        },
      },
      h('label', null, 'New round name', h('input', { type: 'text', required: true, value: rd.label, 'data-k': 'new-round', oninput: (e) => { rd.label = e.target.value; } })),
      h('label', null, 'Date (optional)', h('input', { type: 'date', value: rd.date, 'data-k': 'new-round-date', oninput: (e) => { rd.date = e.target.value; } })),
      h('button', { type: 'submit', 'data-k': 'add-round' }, 'Add round'))),
    h('section', { class: 'card', 'aria-labelledby': 'export-title' },
      h('h2', { id: 'export-title' }, 'Export and print', app.headingContext()),
      h('div', { class: 'row-buttons' },
        h('button', { type: 'button', 'data-k': 'export-json', onclick: () => app.exportJson() }, 'Download JSON (everything)'),
        h('button', { type: 'button', 'data-k': 'export-csv', onclick: () => app.exportCsv() }, 'Download CSV (ratings)'),
        h('button', { type: 'button', 'data-k': 'print', onclick: async () => { await app.reportReady(); app.renderReportNow(); window.print(); } }, 'Print report')),
      h('p', { class: 'how', text: 'JSON keeps everything: rounds, people, ratings, hands, agreed levels, targets, notes and actions. The tidy CSV holds the ratings only, one row each, for spreadsheets and the cascade command-line tool.' })),
    h('section', { class: 'card', 'aria-labelledby': 'import-title' },
      h('h2', { id: 'import-title' }, 'Import', app.headingContext()),
      importControl(app, 'files-import')),
    h('section', { class: 'card', 'aria-labelledby': 'saved-title' },
      h('h2', { id: 'saved-title' }, 'Kept in this browser', app.headingContext()),
      savedList(app),
      h('div', { class: 'row-buttons' },
        h('button', { type: 'button', class: 'primary', 'data-k': 'new-assessment', onclick: () => app.newAssessment() }, '+ New assessment'))),
    h('section', { class: 'card danger-zone', 'aria-labelledby': 'clear-title' },
      h('h2', { id: 'clear-title' }, 'Clear stored data', app.headingContext()),
      h('p', { text: 'Everything this page keeps stays in this browser: nothing is sent anywhere and no cookies are set. Clearing deletes every saved assessment here.' }),
      h('button', { type: 'button', class: 'danger', 'data-k': 'clear-all', onclick: () => app.clearAll() }, 'Clear all stored data…')));
}
