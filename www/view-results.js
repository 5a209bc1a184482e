// Comparing rounds, planning actions, and the printable report. Every number and chart
// here comes from the engine's summary(), compare() and chart methods.

import { h, svgNode, num, signed, pValue, DIRECTIONS } from './dom.js';
import { headlineSource, targetText, explain, TERMS } from './words.js';

function chartFigure(app, name, caption, kind, ...args) {
  return figure(app, true, name, caption, kind, ...args);
}

function reportFigure(app, name, caption, kind, ...args) {
  return figure(app, false, name, caption, kind, ...args);
}

function figure(app, withButton, name, caption, kind, ...args) {
  let text;
  let node;
  try {
    text = app.chartText(kind, ...args);
    node = svgNode(text);
  } catch (e) {
    return h('figure', { class: ['chart', name] }, h('p', { class: 'notice', text: e.message }), h('figcaption', { text: caption }));
  }
  return h('figure', { class: ['chart', name], 'data-chart': name },
    node,
    h('figcaption', null,
      h('span', { text: caption }),
      withButton && h('button', {
        type: 'button', class: 'quiet small no-print', 'data-k': `svg:${name}`,
        onclick: () => app.exportSvg(name, text),
      }, 'Download SVG', h('span', { class: 'visually-hidden', text: `: ${caption}` }))));
}

function roundSelect(app, label, value, onchange, k) {
  return h('label', { class: 'pick' }, `${label} `,
    h('select', { 'data-k': k, onchange: (e) => onchange(e.target.value) },
      app.doc.rounds.map((r) => h('option', { value: r.id, selected: r.id === value }, r.label))));
}

function direction(dir) {
  const [icon, word] = DIRECTIONS[dir] ?? DIRECTIONS.unknown;
  return h('span', { class: ['direction', dir] }, h('span', { class: 'dir-icon', 'aria-hidden': 'true', text: icon }), ` ${word}`);
}

function pairedText(p) {
  if (!p || p.n === 0) return 'no one rated it in both rounds';
  return `${p.n} ${p.n === 1 ? 'person' : 'people'}: ${p.improved} up, ${p.unchanged} same, ${p.declined} down`;
}

function actionsFor(app, domain) {
  return app.doc.actions.map((a, index) => ({ ...a, index })).filter((a) => a.domain === domain);
}

function hiddenNotice(app, what) {
  return h('section', { class: 'hidden-results card' },
    h('h2', { text: 'Results are hidden' }),
    h('p', { text: `Reveal the results to see ${what}. They stay hidden while the room is still scoring, so early answers don’t sway it.` }),
    h('button', { type: 'button', class: 'primary', 'data-k': 'reveal-inline', onclick: () => app.toggleReveal() },
      'Reveal results ', h('kbd', { text: 'R' })));
}

/** Compare two rounds: radar, change chart, a table of the changes and the sign test. */
export function renderCompare(app) {
  const { ui, doc, fw } = app;
  if (!ui.reveal) return hiddenNotice(app, 'how the rounds compare');
  if (doc.rounds.length < 2) {
    return h('section', { class: 'card' }, h('h2', { text: 'Only one round so far' }),
      h('p', { text: app.readOnly ? 'Once a second round has been scored, the two can be compared here.' : 'Add the follow-up round under “Saved work”, score it, then compare the two here.' }));
  }
  const cmp = app.compare(ui.from, ui.to);
  if (!cmp) return h('section', { class: 'card' }, h('p', { text: 'These rounds cannot be compared.' }));
  const from = app.roundLabel(ui.from);
  const to = app.roundLabel(ui.to);
  const overall = cmp.overall;
  const sumFrom = app.roundSummary(ui.from);
  const sumTo = app.roundSummary(ui.to);
  return h('section', { class: 'compare', 'aria-labelledby': 'compare-title' },
    h('div', { class: 'compare-head' },
      h('h2', { id: 'compare-title' }, `What changed: ${from} to ${to}`, app.headingContext()),
      h('div', { class: 'picks no-print' },
        roundSelect(app, 'From', ui.from, (v) => app.setUi({ from: v }), 'cmp-from'),
        roundSelect(app, 'To', ui.to, (v) => app.setUi({ to: v }), 'cmp-to'))),
    h('p', { class: 'overall', 'data-stat': 'overall' },
      h('strong', { text: 'Overall ' }), '(mean of the domain headlines): ',
      h('span', { 'data-stat': 'overall-from', text: num(overall.from) }), ` in ${from} → `,
      h('span', { 'data-stat': 'overall-to', text: num(overall.to) }), ` in ${to}, change `,
      h('span', { 'data-stat': 'overall-delta', text: signed(overall.delta) }),
      overall.delta == null ? h('span', { class: 'how', text: ` — needs every domain scored in both rounds (${sumFrom?.coverage ?? 0} and ${sumTo?.coverage ?? 0} of ${fw.domains.length} so far)` }) : null),
    h('div', { class: 'charts' },
      chartFigure(app, 'radar', `Radar: ${from}, ${to}${app.doc.targets.length ? ' and target' : ''}`, 'radarSvg', [ui.from, ui.to], true),
      chartFigure(app, 'change', `Change per domain, ${from} to ${to}`, 'changeSvg', ui.from, ui.to)),
    changeTable(app, cmp, from, to, true),
    h('p', { class: 'explain' },
      h('strong', { text: 'Sign test: ' }),
      'among people who rated a domain in both rounds and changed their view, how likely this many ups against downs would be by chance alone. ',
      'A value below 0.05 is unlikely to be chance; with few people it rarely gets that low, so read it as a guide.'),
    perceptionSection(app, ui.from, ui.to, true),
    explain(['headline', 'agreed', 'change', 'paired', 'p', 'target', 'overall', 'gap']));
}

const GAP_WORDS = { narrowed: ['▼', 'Closer'], widened: ['▲', 'Further apart'], unchanged: ['●', 'No change'] };

/**
 * Education against mental health at both rounds, side by side, and whether they came
 * closer: the programme's core question, so it is shown across rounds, not one at a time.
 */
function perceptionSection(app, from, to, withCharts) {
  const gaps = app.perceptionGaps(from, to);
  const fromLabel = app.roundLabel(from);
  const toLabel = app.roundLabel(to);
  const compared = gaps.filter((g) => g.change);
  const closer = compared.filter((g) => g.change === 'narrowed').length;
  const summary = compared.length
    ? `Education and mental health came closer in ${closer} of the ${compared.length} ${compared.length === 1 ? 'domain' : 'domains'} both groups rated at both workshops.`
    : 'To see whether education and mental health came closer, both groups need to rate a domain at both workshops (each person, or a show of hands by group).';
  const cell = (v) => (v == null ? '–' : num(v));
  // The report holds this section too, in the same shadow root: only the view's has an id.
  const id = withCharts ? 'gap-title' : null;
  return h('section', { class: 'gap', 'aria-labelledby': id, 'data-section': 'perception' },
    h('h3', { id }, `Education and mental health views: ${fromLabel} and ${toLabel}`, withCharts ? app.headingContext() : null),
    h('p', { class: 'gap-summary', 'data-stat': 'gap-summary', text: summary }),
    h('div', { class: 'table-wrap' }, h('table', { class: 'perception-table' },
      h('caption', { text: `Perception gap (education’s mean minus mental health’s), ${fromLabel} and ${toLabel}` }),
      h('thead', null, h('tr', null,
        h('th', { scope: 'col', text: 'Domain' }),
        h('th', { scope: 'col', text: fromLabel }),
        h('th', { scope: 'col', text: toLabel }),
        h('th', { scope: 'col', text: 'Closer?' }))),
      h('tbody', null, gaps.map((g) => {
        const d = app.fw.domains.find((x) => x.id === g.domain);
        const [icon, word] = GAP_WORDS[g.change] ?? ['', 'Not both rounds'];
        return h('tr', { 'data-domain': g.domain },
          h('th', { scope: 'row' }, h('span', { class: 'letter small', 'aria-hidden': 'true', text: d?.letter ?? '' }), ` ${d ? app.domainName(d) : g.domain}`),
          h('td', { 'data-stat': 'gap-from', text: cell(g.from) }),
          h('td', { 'data-stat': 'gap-to', text: cell(g.to) }),
          h('td', { 'data-stat': 'gap-change', 'data-change': g.change ?? 'unknown' },
            h('span', { class: ['gap-change', g.change ?? 'unknown'] }, icon ? h('span', { 'aria-hidden': 'true', text: `${icon} ` }) : null, word)));
      })))),
    withCharts ? h('div', { class: 'charts gap-charts' },
      chartFigure(app, 'group-gap-from', `Education and mental health means, ${fromLabel}`, 'groupGapSvg', from),
      chartFigure(app, 'group-gap-to', `Education and mental health means, ${toLabel}`, 'groupGapSvg', to)) : null);
}

function changeTable(app, cmp, from, to, withActions) {
  const { fw } = app;
  return h('div', { class: 'table-wrap' }, h('table', { class: withActions ? 'change-table' : 'report-change' },
    h('caption', { text: `Change per domain, ${from} to ${to}` }),
    h('thead', null, h('tr', null,
      h('th', { scope: 'col', text: 'Domain' }),
      h('th', { scope: 'col', text: from }),
      h('th', { scope: 'col', text: to }),
      h('th', { scope: 'col', text: 'Change' }),
      h('th', { scope: 'col', text: 'Paired changes' }),
      h('th', { scope: 'col', text: 'Sign test p' }),
      h('th', { scope: 'col', text: 'Target (to go)' }),
      withActions ? h('th', { scope: 'col', text: 'Actions' }) : null)),
    h('tbody', null, cmp.domains.map((c) => {
      const d = fw.domains.find((x) => x.id === c.domain);
      const acts = actionsFor(app, c.domain);
      const sFrom = app.domainSummary(app.ui.from, c.domain);
      const sTo = app.domainSummary(app.ui.to, c.domain);
      const addAction = app.readOnly ? null : h('button', { type: 'button', class: 'quiet small no-print', 'data-k': `plan:${c.domain}`, onclick: () => { app.focusSelector = `[data-k="new-act:${CSS.escape(c.domain)}:action"]`; app.setUi({ view: 'plan' }); } },
        'Add action', h('span', { class: 'visually-hidden', text: ` for ${d ? app.domainName(d) : c.domain}` }));
      return h('tr', { 'data-domain': c.domain },
        h('th', { scope: 'row' }, h('span', { class: 'letter small', 'aria-hidden': 'true', text: d?.letter ?? '' }), ` ${d ? app.domainName(d) : c.domain}`),
        h('td', null, h('strong', { 'data-stat': 'from', text: num(c.from.headline) }), h('span', { class: 'how source', 'data-stat': 'from-source', text: ` ${headlineSource(sFrom)}` })),
        h('td', null, h('strong', { 'data-stat': 'to', text: num(c.to.headline) }), h('span', { class: 'how source', 'data-stat': 'to-source', text: ` ${headlineSource(sTo)}` })),
        h('td', null, h('span', { class: 'delta', 'data-stat': 'delta', text: signed(c.delta) }), ' ',
          h('span', { 'data-stat': 'direction', 'data-direction': c.direction }, direction(c.direction))),
        h('td', { 'data-stat': 'paired', 'data-n': c.paired.n, 'data-improved': c.paired.improved, 'data-unchanged': c.paired.unchanged, 'data-declined': c.paired.declined, text: pairedText(c.paired) }),
        h('td', { 'data-stat': 'p', text: c.paired.n ? pValue(c.paired.p_value) : '–' }),
        h('td', { 'data-stat': 'target', text: targetText(c.target, c.gap) }),
        withActions ? h('td', { class: 'actions-cell' },
          acts.length ? h('ul', null, acts.map((a) => h('li', null, a.action, a.owner ? h('span', { class: 'how', text: ` — ${a.owner}` }) : null, a.due ? h('span', { class: 'how', text: `, by ${a.due}` }) : null))) : (app.readOnly ? '–' : null),
          addAction) : null);
    }))));
}

/** The action plan: per domain, what changed beside what will be done, by whom, by when. */
export function renderPlan(app) {
  const { ui, doc, fw } = app;
  const cmp = doc.rounds.length >= 2 ? app.compare(ui.from, ui.to) : null;
  const section = h('section', { class: 'plan', 'aria-labelledby': 'plan-title' },
    h('h2', { id: 'plan-title' }, 'Action plan', app.headingContext()),
    h('p', { class: 'hint', text: app.readOnly ? 'For each domain: what changed, the notes, and what will be done, by whom and by when.' : 'For each domain, agree what will be done, who will do it and by when. Everything is saved as you go.' }),
    fw.domains.map((d) => {
      const c = cmp?.domains.find((x) => x.domain === d.id);
      const note = doc.notes.find((n) => n.domain === d.id)?.text ?? '';
      // A Map, so that a domain id such as "__proto__" is a key like any other.
      const drafts = (app.actionDrafts ??= new Map());
      if (!drafts.has(d.id)) drafts.set(d.id, { action: '', owner: '', due: '', note: '' });
      const draft = drafts.get(d.id);
      const acts = actionsFor(app, d.id);
      return h('article', { class: 'plan-domain', 'data-domain': d.id, 'aria-labelledby': `plan-${d.id}` },
        h('h3', { id: `plan-${d.id}` }, h('span', { class: 'letter', 'aria-hidden': 'true', text: d.letter }), d.title),
        h('div', { class: 'plan-grid' },
          h('div', { class: 'plan-change' },
            c && ui.reveal ? h('p', null,
              `${app.roundLabel(ui.from)} `, h('strong', { text: num(c.from.headline) }),
              ` → ${app.roundLabel(ui.to)} `, h('strong', { text: num(c.to.headline) }), ': ',
              h('span', { class: 'delta', text: signed(c.delta) }), ' ', direction(c.direction))
              : h('p', { class: 'how', text: ui.reveal ? 'No second round to compare yet.' : 'Scores hidden until results are revealed.' }),
            h('p', null, 'Target: ', h('strong', { text: app.targetOf(d.id) == null ? 'none set' : String(app.targetOf(d.id)) })),
            h('label', { class: 'note' }, 'Notes',
              h('textarea', {
                rows: '3', 'data-k': `note:${d.id}`, readonly: app.readOnly,
                onchange: (e) => app.edit({ op: 'set_note', domain: d.id, text: e.target.value }, 'Note saved'),
              }, note))),
          h('div', { class: 'plan-actions' },
            acts.length ? h('div', { class: 'table-wrap' }, h('table', { class: 'actions-table' },
              h('caption', { class: 'visually-hidden', text: `Actions for ${app.domainName(d)}` }),
              h('thead', null, h('tr', null,
                h('th', { scope: 'col', text: 'What' }), h('th', { scope: 'col', text: 'Owner' }),
                h('th', { scope: 'col', text: 'Due' }), app.readOnly ? null : h('th', { scope: 'col' }, h('span', { class: 'visually-hidden', text: 'Remove' })))),
              h('tbody', null, acts.map((a) => {
                const change = (field) => (e) => {
                  const next = { op: 'set_action', index: a.index, domain: a.domain, action: a.action, owner: a.owner ?? '', due: a.due ?? null };
                  next[field] = e.target.value === '' && field === 'due' ? null : e.target.value;
                  app.edit(next, 'Action updated');
                };
                if (app.readOnly) {
                  return h('tr', null, h('td', { text: a.action }), h('td', { text: a.owner || '–' }), h('td', { text: a.due || '–' }));
                }
                return h('tr', null,
                  h('td', null, h('input', { type: 'text', value: a.action, 'aria-label': 'What', 'data-k': `act:${a.index}:action`, onchange: change('action') })),
                  h('td', null, h('input', { type: 'text', value: a.owner ?? '', 'aria-label': 'Owner', 'data-k': `act:${a.index}:owner`, onchange: change('owner') })),
                  h('td', null, h('input', { type: 'date', value: a.due ?? '', 'aria-label': 'Due', 'data-k': `act:${a.index}:due`, onchange: change('due') })),
                  h('td', null, h('button', {
                    type: 'button', class: 'quiet small', 'data-k': `act:${a.index}:remove`,
                    onclick: () => app.edit({ op: 'remove_action', index: a.index }, 'Action removed'),
                  }, 'Remove', h('span', { class: 'visually-hidden', text: ` action: ${a.action}` }))));
              })))) : h('p', { class: 'how', text: 'No actions yet.' }),
            app.readOnly ? null : h('form', {
              class: 'add-action',
              // The page says what is missing beside the box, not the browser's bubble.
              novalidate: true,
              onsubmit: (e) => {
                e.preventDefault();
                const form = e.currentTarget;
                if (!draft.action.trim()) {
                  draft.note = 'Type what will be done first, then Enter adds it.';
                  app.focusSelector = `[data-k="new-act:${CSS.escape(d.id)}:action"]`;
                  app.invalidate();
                  return;
                }
                const edit = { op: 'add_action', domain: d.id, action: draft.action.trim(), owner: draft.owner.trim() };
                if (draft.due) edit.due = draft.due;
                if (app.edit(edit, `Action added for ${app.domainName(d)}`)) {
                  Object.assign(draft, { action: '', owner: '', due: '', note: '' });
                  // The boxes have focus or were typed in: a render leaves a focused box as it is.
                  for (const input of form.querySelectorAll('input')) input.value = '';
                  app.focusSelector = `[data-k="new-act:${CSS.escape(d.id)}:action"]`;
                }
              },
            },
            h('label', null, 'What will be done', h('input', {
              type: 'text', value: draft.action, 'data-k': `new-act:${d.id}:action`, 'aria-describedby': `act-note-${d.id}`,
              oninput: (e) => { draft.action = e.target.value; if (draft.note) { draft.note = ''; app.invalidate(); } },
            })),
            h('label', null, 'Owner', h('input', { type: 'text', value: draft.owner, 'data-k': `new-act:${d.id}:owner`, oninput: (e) => { draft.owner = e.target.value; } })),
            h('label', null, 'Due', h('input', { type: 'date', value: draft.due, 'data-k': `new-act:${d.id}:due`, oninput: (e) => { draft.due = e.target.value; } })),
            h('button', { type: 'submit', class: 'primary', 'data-k': `new-act:${d.id}:add` }, 'Add action',
              h('span', { class: 'visually-hidden', text: ` for ${app.domainName(d)}` })),
            h('p', { id: `act-note-${d.id}`, class: ['field-note', draft.note ? 'warn' : null], 'data-k': `act-note:${d.id}`, role: draft.note ? 'status' : null,
              text: draft.note || 'Enter in any box adds the action.' })))));
    }));
  return section;
}

/** One round's statistics per domain, as a table: the Results view and the report share it. */
function roundTable(app, rs, caption) {
  const { fw } = app;
  return h('table', { class: 'round-table', 'data-round': rs.round },
    caption ? h('caption', { text: caption }) : null,
    h('thead', null, h('tr', null, ['Domain', 'Headline', 'Agreed', 'Median', 'Mean', 'n', 'Unsure', 'Split room', 'Target (to go)']
      .map((t) => h('th', { scope: 'col', text: t })))),
    h('tbody', null, rs.domains.map((s) => {
      const d = fw.domains.find((x) => x.id === s.domain);
      return h('tr', { 'data-domain': s.domain },
        h('th', { scope: 'row', text: d ? `${d.letter} ${app.domainName(d)}` : s.domain }),
        h('td', null, h('strong', { 'data-stat': 'headline', text: num(s.headline) }), h('span', { class: 'how', 'data-stat': 'headline-source', text: ` ${headlineSource(s)}` })),
        h('td', { 'data-stat': 'agreed', text: s.agreed == null ? '–' : String(s.agreed) }),
        h('td', { 'data-stat': 'median', text: num(s.median) }), h('td', { 'data-stat': 'mean', text: num(s.mean) }), h('td', { 'data-stat': 'n', text: String(s.n) }),
        h('td', { text: String(s.unsure) }), h('td', { text: s.split ? '⚠ Split' : '' }),
        h('td', { 'data-stat': 'target', text: targetText(s.target, s.gap) }));
    })),
    h('tfoot', null, h('tr', null, h('th', { scope: 'row', text: 'Overall' }),
      h('td', { colspan: '8', 'data-stat': 'overall', text: rs.overall == null ? `– (${rs.coverage} of ${fw.domains.length} domains scored)` : num(rs.overall) }))));
}

/** Results (results and read-only modes): every round's headlines on one radar, then a table per round. */
export function renderRounds(app) {
  const { doc } = app;
  const sum = app.summary();
  const ids = doc.rounds.map((r) => r.id);
  const names = doc.rounds.map((r) => r.label).join(', ');
  return h('section', { class: 'rounds-view', 'aria-labelledby': 'rounds-title' },
    h('h2', { id: 'rounds-title' }, `Results: ${doc.area}`, app.headingContext()),
    chartFigure(app, 'radar-all', `Radar: ${names}${doc.targets.length ? ' and target' : ''}`, 'radarSvg', ids, true),
    sum.rounds.map((rs) => h('div', { class: 'table-wrap' },
      roundTable(app, rs, `${app.roundLabel(rs.round)}: scores per domain`))),
    explain(['headline', 'agreed', 'median', 'mean', 'n', 'split', 'target', 'overall']));
}

/** The A4 report: shown only in print. */
export function renderReport(app) {
  const { doc, fw } = app;
  const sum = app.summary();
  const rounds = doc.rounds;
  const out = [];
  out.push(h('header', { class: 'report-head', 'data-section': 'title' },
    h('h1', { text: `${fw.name} assessment: ${doc.area}` }),
    h('p', { text: `Rounds: ${rounds.map((r) => (r.date ? `${r.label} (${r.date})` : r.label)).join(', ')}. Framework ${fw.name} version ${fw.version}, levels 1 to ${fw.levels.length}. Report made ${new Date().toISOString().slice(0, 10)}.` })));
  for (const rs of sum.rounds) {
    out.push(h('section', { class: 'report-section', 'data-section': `round-${rs.round}` },
      h('h2', { text: `${app.roundLabel(rs.round)}: scores per domain` }),
      roundTable(app, rs)));
  }
  if (rounds.length >= 2) {
    const from = app.ui.from;
    const to = app.ui.to;
    const cmp = app.compare(from, to);
    if (cmp) {
      out.push(h('section', { class: 'report-section', 'data-section': 'compare' },
        h('h2', { text: `Change from ${app.roundLabel(from)} to ${app.roundLabel(to)}` }),
        h('div', { class: 'charts' },
          reportFigure(app, 'radar', `Radar: ${app.roundLabel(from)}, ${app.roundLabel(to)}${app.doc.targets.length ? ' and target' : ''}`, 'radarSvg', [from, to], true),
          reportFigure(app, 'change', 'Change per domain', 'changeSvg', from, to)),
        changeTable(app, cmp, app.roundLabel(from), app.roundLabel(to), false),
        h('p', { text: `Overall (the average of the seven headlines): ${num(cmp.overall.from)} → ${num(cmp.overall.to)} (${signed(cmp.overall.delta)}).` })));
      out.push(h('section', { class: 'report-section', 'data-section': 'groups' },
        h('h2', { text: 'Education and mental health views' }),
        perceptionSection(app, from, to, false),
        h('div', { class: 'charts' },
          reportFigure(app, 'group-gap-from', `Means by group, ${app.roundLabel(from)}`, 'groupGapSvg', from),
          reportFigure(app, 'group-gap-to', `Means by group, ${app.roundLabel(to)}`, 'groupGapSvg', to))));
    }
  }
  out.push(h('section', { class: 'report-section', 'data-section': 'actions' },
    h('h2', { text: 'Action plan' }),
    doc.actions.length ? h('table', null,
      h('thead', null, h('tr', null, ['Domain', 'Action', 'Owner', 'Due'].map((t) => h('th', { scope: 'col', text: t })))),
      h('tbody', null, doc.actions.map((a) => {
        const d = fw.domains.find((x) => x.id === a.domain);
        return h('tr', null, h('td', { text: d ? app.domainName(d) : a.domain }), h('td', { text: a.action }),
          h('td', { text: a.owner || '–' }), h('td', { text: a.due || '–' }));
      }))) : h('p', { text: 'No actions recorded.' }),
    doc.notes.length ? [h('h3', { text: 'Notes' }), h('dl', null, doc.notes.map((n) => {
      const d = fw.domains.find((x) => x.id === n.domain);
      return [h('dt', { text: d ? app.domainName(d) : n.domain }), h('dd', { text: n.text })];
    }))] : null));
  out.push(explain(Object.keys(TERMS), { print: true }));
  return out;
}
