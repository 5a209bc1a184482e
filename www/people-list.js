// The people table of the each-person view, windowed: a room has a few dozen people, but an
// imported file can hold thousands, and one row each would freeze the page. At most PAGE
// rows are built, the page holding the person scoring now unless the facilitator pages
// through; a line says which of how many are shown, and a box finds a person by id.
// The page's ratings come from the engine, for the people shown (the element's loadRatings).

import { h } from './dom.js';

/** The most rows the table holds at once. */
export const PAGE = 50;

/**
 * The people to build rows for: { rows, start, total }. `app.peopleStart` is where the
 * facilitator paged to; null follows the person scoring now.
 */
export function peopleWindow(app, people) {
  const total = people.length;
  if (total <= PAGE) return { rows: people, start: 0, total };
  let start = app.peopleStart;
  if (start == null) {
    const at = Math.max(0, people.findIndex((p) => p.id === app.ui.respondent));
    start = Math.floor(at / PAGE) * PAGE;
  }
  start = Math.min(Math.max(0, start), Math.floor((total - 1) / PAGE) * PAGE);
  return { rows: people.slice(start, start + PAGE), start, total };
}

/** Which people are shown, paging and a find box; null when every person has a row. */
export function peoplePager(app, win, people) {
  if (win.total <= PAGE) return null;
  const go = (start) => {
    app.peopleStart = start;
    app.invalidate();
  };
  const end = win.start + win.rows.length;
  const n = (v) => String(v).replace(/\B(?=(\d{3})+(?!\d))/g, ',');
  return h('div', { class: 'people-pager', 'data-k': 'people-pager' },
    h('p', { class: 'people-range', role: 'status', text: `People ${n(win.start + 1)}–${n(end)} of ${n(win.total)}` }),
    h('button', { type: 'button', class: 'small', 'data-k': 'people-prev', disabled: win.start === 0, onclick: () => go(win.start - PAGE) }, 'Previous ', String(PAGE)),
    h('button', { type: 'button', class: 'small', 'data-k': 'people-next', disabled: end >= win.total, onclick: () => go(win.start + PAGE) }, 'Next ', String(PAGE)),
    h('label', null, 'Find a person ',
      h('input', {
        type: 'search', 'data-k': 'people-find', autocomplete: 'off', maxlength: '100',
        onchange: (e) => {
          const id = e.target.value.trim();
          if (!id) return;
          const found = people.find((p) => p.id === id) ?? people.find((p) => p.id.toLowerCase().startsWith(id.toLowerCase()));
          if (!found) {
            app.announce(`No person ${id} in this assessment`);
            return;
          }
          app.peopleStart = null;
          app.setUi({ respondent: found.id });
          app.announce(`Scoring as ${found.id}`);
        },
      })));
}
