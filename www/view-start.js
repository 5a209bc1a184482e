// Starting an assessment: the form (area, rounds, framework), with the assessments kept in this
// browser and an import beside it; and what the results and read-only modes show with nothing
// to show. Fetched when first shown (an element without `area`, or "+ New assessment").

import { h } from './dom.js';

function formatTime(iso) {
  const t = new Date(iso);
  return Number.isNaN(t.getTime()) ? '' : t.toLocaleString(undefined, { dateStyle: 'medium', timeStyle: 'short' });
}

export function importControl(app, id) {
  return h('div', { class: 'import' },
    h('label', { for: id, class: 'file-label' }, 'Import a file (JSON assessment or tidy CSV)'),
    h('input', {
      type: 'file', id, 'data-k': id, accept: '.json,.csv,application/json,text/csv',
      onchange: async (e) => {
        const file = e.target.files?.[0];
        e.target.value = '';
        await app.importFile(file);
      },
    }),
    h('p', { class: 'how', text: 'An imported file opens as a new assessment; what you have now stays as it is.' }));
}

export function savedList(app) {
  const saved = app.store.list();
  if (!saved.length) return h('p', { class: 'how', text: 'Nothing is saved in this browser yet.' });
  return h('div', { class: 'table-wrap' }, h('table', { class: 'saved' },
    h('caption', { class: 'visually-hidden', text: 'Assessments kept in this browser' }),
    h('thead', null, h('tr', null,
      h('th', { scope: 'col', text: 'Area' }), h('th', { scope: 'col', text: 'Rounds' }),
      h('th', { scope: 'col', text: 'Last changed' }), h('th', { scope: 'col' }, h('span', { class: 'visually-hidden', text: 'Open or delete' })))),
    h('tbody', null, saved.map((s) => {
      // Listed, so that it does not vanish unseen, and can be deleted.
      if (s.unreadable) {
        return h('tr', { class: 'unreadable', 'data-id': s.id },
          h('th', { scope: 'row', text: 'A record that cannot be read' }),
          h('td', { colspan: '2', text: `It was not written by this page as it is now (${s.unreadable}).` }),
          h('td', { class: 'row-buttons' },
            h('button', { type: 'button', class: 'quiet', 'data-k': `delete:${s.id}`, onclick: () => app.deleteAssessment(s.id, '') },
              'Delete', h('span', { class: 'visually-hidden', text: ' the unreadable record' }))));
      }
      const open = s.id === app.recordId && app.session;
      return h('tr', { class: open ? 'current' : null, 'data-id': s.id },
        h('th', { scope: 'row' }, h('bdi', { text: s.area }), open ? h('span', { class: 'badge', text: ' open now' }) : null),
        h('td', { text: (s.rounds ?? []).join(', ') }),
        h('td', { text: formatTime(s.updated) }),
        h('td', { class: 'row-buttons' },
          open ? null : h('button', { type: 'button', 'data-k': `open:${s.id}`, onclick: () => app.openAssessment(s.id) },
            'Open', h('span', { class: 'visually-hidden', text: ` ${s.area}` })),
          h('button', { type: 'button', class: 'quiet', 'data-k': `delete:${s.id}`, onclick: () => app.deleteAssessment(s.id, s.area) },
            'Delete', h('span', { class: 'visually-hidden', text: ` ${s.area}` }))));
    }))));
}

/** The form that starts an assessment: area, rounds, framework. */
export function renderStart(app) {
  const d = app.startDraft ??= {
    area: app.getAttribute('area') ?? '',
    rounds: app.roundLabels.map((label) => ({ label, date: '' })),
    fwChoice: 'builtin',
    fw: null,
    fwMessage: '',
  };
  const repaint = () => app.invalidate();
  const builtin = app.builtin;
  const form = h('form', {
    class: 'start card',
    'aria-labelledby': 'start-title',
    onsubmit: (e) => {
      e.preventDefault();
      const site = app.siteFramework;
      if (!site && d.fwChoice === 'file' && !d.fw) {
        app.showError('Choose a framework file first, or pick the built-in CASCADE framework.');
        return;
      }
      try {
        app.createAssessment(d.area.trim(), d.rounds.map((r) => r.label.trim()), d.rounds.map((r) => r.date || ''), site ?? (d.fwChoice === 'file' ? d.fw : null));
      } catch (err) {
        app.showError(err.message);
        return;
      }
      app.startDraft = null;
      app.clearError();
      app.announce(`Started ${app.doc.area}`);
      app.focusAfterRender = 'domain:0';
      app.invalidate();
      app.scheduleReport();
    },
  },
  h('h2', { id: 'start-title' }, 'Start an assessment', app.headingContext()),
  h('p', { class: 'intro', text: 'Schools, colleges and mental health services score how well they work together on each domain of the framework: at the first workshop (the baseline) and again about six weeks later (the follow-up). This page then shows what changed.' }),
  h('label', { class: 'field' }, 'Area name',
    h('span', { class: 'how', text: 'The Integrated Care Board area, borough or group of schools being scored' }),
    h('input', { type: 'text', required: true, autocomplete: 'off', value: d.area, 'data-k': 'start-area', oninput: (e) => { d.area = e.target.value; } })),
  h('fieldset', { class: 'rounds' },
    h('legend', { text: 'Rounds (one per workshop)' }),
    d.rounds.map((r, i) => h('div', { class: 'round-row' },
      h('label', null, `Round ${i + 1} name`,
        h('input', { type: 'text', required: true, value: r.label, 'data-k': `start-round:${i}`, oninput: (e) => { r.label = e.target.value; } })),
      h('label', null, 'Date (optional)',
        h('input', { type: 'date', value: r.date, 'data-k': `start-date:${i}`, oninput: (e) => { r.date = e.target.value; } })),
      d.rounds.length > 1 ? h('button', {
        type: 'button', class: 'quiet', 'data-k': `start-remove:${i}`,
        onclick: () => { d.rounds.splice(i, 1); repaint(); },
      }, 'Remove', h('span', { class: 'visually-hidden', text: ` round ${i + 1}` })) : null)),
    h('button', {
      type: 'button', 'data-k': 'start-add-round',
      onclick: () => { d.rounds.push({ label: `Round ${d.rounds.length + 1}`, date: '' }); app.focusAfterRender = null; repaint(); },
    }, '+ Add a round')),
  app.siteFramework ? h('p', { class: 'framework-fixed' },
    h('strong', { text: 'Framework: ' }),
    `${app.siteFramework.name} (${app.siteFramework.domains.length} domains, levels 1 to ${app.siteFramework.levels.length}), chosen by this website`) : h('fieldset', { class: 'framework-pick' },
    h('legend', { text: 'Framework' }),
    h('label', { class: 'choice' },
      h('input', { type: 'radio', name: 'fw', value: 'builtin', checked: d.fwChoice === 'builtin', 'data-k': 'fw-builtin', onchange: () => { d.fwChoice = 'builtin'; repaint(); } }),
      ` Built-in ${builtin.name} framework (${builtin.domains.length} domains, levels 1 to ${builtin.levels.length})`),
    h('label', { class: 'choice' },
      h('input', { type: 'radio', name: 'fw', value: 'file', checked: d.fwChoice === 'file', 'data-k': 'fw-file', onchange: () => { d.fwChoice = 'file'; repaint(); } }),
      ' A framework file (JSON)'),
    d.fwChoice === 'file' ? h('div', { class: 'fw-file' },
      h('label', { for: 'fw-input', class: 'file-label' }, 'Framework file'),
      h('input', {
        type: 'file', id: 'fw-input', accept: '.json,application/json', 'data-k': 'fw-input',
        onchange: async (e) => {
          const file = e.target.files?.[0];
          if (!file) return;
          try {
            d.fw = app.engine.parseFramework(await file.text());
            d.fwMessage = `Loaded ${d.fw.name}: ${d.fw.domains.length} domains, levels 1 to ${d.fw.levels.length}.`;
            app.clearError();
          } catch (err) {
            d.fw = null;
            d.fwMessage = '';
            app.showError(`${file.name} is not a usable framework: ${err.message}`);
          }
          repaint();
        },
      }),
      d.fwMessage ? h('p', { class: 'ok', role: 'status', text: d.fwMessage }) : null) : null),
  h('div', { class: 'form-buttons' },
    h('button', { type: 'submit', class: 'primary big', 'data-k': 'start-go' }, 'Start scoring'),
    app.session ? h('button', { type: 'button', class: 'quiet', 'data-k': 'start-cancel', onclick: () => app.setUi({ view: 'score' }) }, `Back to ${app.doc.area}`) : null));
  return h('div', { class: 'start-page' },
    form,
    h('section', { class: 'card', 'aria-labelledby': 'start-saved' },
      h('h2', { id: 'start-saved' }, 'Or carry on with saved work', app.headingContext()),
      savedList(app),
      importControl(app, 'start-import')));
}

/** Results and read-only modes with nothing to show: says so, and where results come from. */
export function renderEmpty(app) {
  const area = app.getAttribute('area')?.trim();
  return h('section', { class: 'card empty', 'aria-labelledby': 'empty-title' },
    h('h2', { id: 'empty-title' }, area ? `No results for ${area} yet` : 'No results to show yet', app.headingContext()),
    h('p', { text: 'Results appear here once an assessment has been scored in this browser.' }));
}
