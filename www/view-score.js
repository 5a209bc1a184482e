// The scoring view: one domain at a time (for the projector) or all of them, captured as the
// level the room agreed, a show of hands, or one row per person; results stay hidden until
// the facilitator reveals them.

import { h, svgNode, num, percent, entries, GROUPS, groupLabel, MODES } from './dom.js';

export function renderScore(app) {
  const { ui, fw } = app;
  const parts = [renderControls(app), renderStepper(app)];
  if (ui.layout === 'one') {
    const d = fw.domains[ui.domain];
    parts.push(h('div', { class: ['one', ui.reveal ? 'revealed' : null] },
      renderDomain(app, d, ui.domain, false),
      renderResults(app, d)));
    if (!app.readOnly) parts.push(keyLegend(app));
  } else {
    parts.push(h('div', { class: 'all' },
      fw.domains.map((d, i) => h('div', { class: ['all-row', i === ui.domain ? 'focused' : null], 'data-domain': d.id },
        renderDomain(app, d, i, true, ui.reveal ? renderCompactResults(app, d) : null)))));
    if (!app.readOnly) parts.push(keyLegend(app));
  }
  if (ui.mode === 'respondents') parts.push(renderPeople(app));
  return h('section', { class: ['score', app.readOnly ? 'readonly' : null], 'aria-label': app.named(app.readOnly ? 'Scores (read only)' : 'Score') }, parts);
}

/** The keys, always on show in a line under the domain; "?" gives the full list. */
function keyLegend(app) {
  const n = app.fw.levels.length;
  const top = n >= 10 ? '0' : String(n);
  const mode = app.ui.mode;
  const items = [
    [`1–${top}`, mode === 'tally' ? 'add a hand (Shift: take away)' : 'level'],
    ['U', mode === 'agreed' ? 'not agreed' : 'unsure'],
    ['T', 'target'],
    ['← →', 'domain'],
    mode === 'respondents' ? ['[ ]', 'person'] : null,
    ['R', 'reveal'],
    ['F', 'full screen'],
    ['Z / Y', 'undo / redo'],
    ['?', 'all keys'],
  ].filter(Boolean);
  return h('p', { class: 'key-legend' },
    h('span', { class: 'visually-hidden', text: 'Keyboard: ' }),
    items.map(([k, v]) => h('span', { class: 'key-item' }, h('kbd', { text: k }), ` ${v}`)));
}

function segmented(label, items, current, onpick, key) {
  return h('div', { class: 'segmented', role: 'group', 'aria-label': label },
    h('span', { class: 'seg-label', 'aria-hidden': 'true', text: label }),
    items.map(([id, text, hint]) => h('button', {
      type: 'button',
      'data-k': `${key}:${id}`,
      'aria-pressed': String(id === current),
      title: hint ?? null,
      onclick: () => onpick(id),
    }, id === current ? h('span', { class: 'tick', 'aria-hidden': 'true', text: '✓ ' }) : null, text)));
}

function renderControls(app) {
  const { ui, doc } = app;
  const rounds = doc.rounds.map((r) => [r.id, r.date ? `${r.label} (${r.date})` : r.label]);
  return h('div', { class: 'controls' },
    segmented('Round', rounds, ui.round, (id) => {
      if (id === ui.round) return;
      // A new round starts unanchored: its results stay hidden until revealed again.
      if (ui.reveal) app.announce('Results hidden for this round until you reveal them');
      app.setUi({ round: id, reveal: false });
    }, 'round'),
    segmented('Capture', MODES, ui.mode, (id) => app.setUi({ mode: id }), 'mode'),
    segmented('Show', [['one', 'One domain'], ['all', `All ${app.fw.domains.length}`]], ui.layout,
      (id) => { app.focusAfterRender = `domain:${ui.domain}`; app.setUi({ layout: id }); }, 'layout'));
}

/** The state of one domain in the current round and mode, in a few characters and words. */
function domainState(app, d) {
  const { ui } = app;
  if (ui.mode === 'agreed') {
    const v = app.agreedOf(ui.round, d.id);
    return v === null ? ['–', 'not agreed'] : [String(v), `agreed ${v}`];
  }
  if (ui.mode === 'respondents') {
    const v = ui.respondent ? app.ratingOf(ui.round, ui.respondent, d.id) : null;
    if (v === null) return ['–', 'not rated'];
    return v === 'unsure' ? ['?', 'unsure'] : [String(v), `rated ${v}`];
  }
  const t = app.tallyOf(ui.round, d.id);
  const any = t && (t.counts.some((c) => c > 0) || t.unsure > 0);
  return any ? ['✓', 'hands counted'] : ['–', 'no hands yet'];
}

function renderStepper(app) {
  const { ui, fw } = app;
  return h('nav', { class: 'stepper', 'aria-label': app.named('Domains') },
    h('ol', null, fw.domains.map((d, i) => {
      const [short, said] = domainState(app, d);
      return h('li', null, h('button', {
        type: 'button',
        'data-k': `step:${i}`,
        'aria-current': i === ui.domain ? 'step' : null,
        title: d.title,
        onclick: () => { app.focusAfterRender = ui.layout === 'all' ? `domain:${i}` : null; app.setUi({ domain: i }); },
      },
      h('span', { class: 'step-letter', text: d.letter }),
      h('span', { class: 'step-name', text: app.domainName(d) }),
      h('span', { class: 'visually-hidden', text: `: ${said}` }),
      h('span', { class: ['step-state', short === '–' ? 'empty' : null], 'aria-hidden': 'true', text: short })));
    })));
}

function legendFor(app, d, compact) {
  if (compact) return h('legend', { class: 'visually-hidden' }, `${d.letter} ${d.title}`);
  return h('legend', null,
    h('span', { class: 'letter', 'aria-hidden': 'true', text: d.letter }),
    h('span', { class: 'domain-title', text: d.title }),
    h('span', { class: 'visually-hidden', text: ` (${whoScores(app)})` }));
}

/** In the all-domains list: the domain's title (the hidden legend names the group) and results. */
function rowHead(app, d, extra) {
  return h('div', { class: 'row-head' },
    h('p', { class: 'row-title', 'aria-hidden': 'true' },
      h('span', { class: 'letter', text: d.letter }), h('span', { text: d.title })),
    extra ?? null);
}

function whoScores(app) {
  const { ui } = app;
  const round = app.roundLabel(ui.round);
  if (ui.mode === 'agreed') return `${round}: the level the room agrees`;
  if (ui.mode === 'tally') return `${round}: hands raised at each level`;
  return ui.respondent ? `${round}: rating by ${ui.respondent}` : `${round}: add a person first`;
}

function renderDomain(app, d, i, compact, extra) {
  return app.ui.mode === 'tally' ? renderTally(app, d, i, compact, extra) : renderLevels(app, d, i, compact, extra);
}

/** A domain's levels as a real radio group: a fieldset, its legend, one radio per level. */
function renderLevels(app, d, i, compact, extra) {
  const { ui, fw } = app;
  const agreed = ui.mode === 'agreed';
  const noPerson = ui.mode === 'respondents' && !ui.respondent;
  const ro = app.readOnly;
  const value = agreed ? app.agreedOf(ui.round, d.id) : (ui.respondent ? app.ratingOf(ui.round, ui.respondent, d.id) : null);
  const target = app.targetOf(d.id);
  const name = `level-${i}`;
  const options = fw.levels.map((l, k) => ({ value: k + 1, num: String(k + 1), label: l.label, descriptor: d.descriptors[k] }));
  const extras = agreed
    ? [{ value: null, num: '–', label: 'Not agreed yet', key: 'U' }]
    : [{ value: 'unsure', num: '?', label: 'Unsure', key: 'U' }, { value: null, num: '–', label: 'No rating', key: 'Del' }];
  const all = [...options, ...extras];
  const focusOn = all.some((o) => o.value === value) ? value : options[0].value;
  const radio = (o) => {
    const checked = o.value === value;
    const isTarget = target !== null && o.value === target;
    const id = o.value === null ? 'none' : String(o.value);
    return h('label', { class: ['level', typeof o.value === 'number' ? null : 'extra', checked ? 'checked' : null, isTarget ? 'is-target' : null] },
      h('input', {
        type: 'radio',
        name,
        value: o.value === null ? '' : String(o.value),
        checked,
        disabled: noPerson || ro,
        'data-k': `lvl:${d.id}:${id}`,
        'data-group': `domain:${i}`,
        'data-domain-focus': o.value === focusOn ? `domain:${i}` : null,
        onchange: () => {
          app.ui.domain = i;
          app.setLevel(o.value, { domain: d });
        },
        onfocus: () => {
          if (app.ui.domain !== i) app.setUi({ domain: i });
        },
      }),
      h('span', { class: 'num', 'aria-hidden': 'true', text: o.num }),
      h('span', { class: 'level-text' },
        h('span', { class: 'level-label', text: o.label }),
        // Keyed, so that marking a level inserts or drops this mark rather than rewriting the
        // descriptor after it (its long text would be laid out again at every key press).
        checked ? h('span', { class: 'chosen', 'data-k': 'chosen', text: ' ✓ chosen' }) : null,
        isTarget ? h('span', { class: 'target-mark', 'data-k': 'target-mark', text: ' ◆ target' }) : null,
        !compact && o.descriptor ? h('span', { class: 'descriptor', text: o.descriptor }) : null,
        !compact && o.key && !ro ? h('kbd', { class: 'hint', 'aria-hidden': 'true', text: o.key }) : null));
  };
  const chosen = typeof value === 'number' ? d.descriptors[value - 1] : null;
  return h('fieldset', { class: ['domain', compact ? 'compact' : 'full', agreed ? 'agreed' : 'rated'], 'data-domain': d.id },
    legendFor(app, d, compact),
    compact ? rowHead(app, d, extra) : renderDomainHead(app, d),
    noPerson && !compact && !ro ? h('p', { class: 'notice', text: 'Add a person below, then their ratings can be entered here.' }) : null,
    compact ? h('div', { class: 'levels' }, all.map(radio)) : [
      h('div', { class: 'levels' }, options.map(radio)),
      h('div', { class: 'levels extras' }, extras.map(radio))],
    compact ? h('p', { class: 'chosen-descriptor' },
      chosen ? `${value} ${app.levelLabel(value)}: ${chosen}` : (value === 'unsure' ? 'Unsure' : ''),
      target !== null ? h('span', { class: 'target-note', text: ` ◆ Target ${target}` }) : null) : null);
}

function renderDomainHead(app, d) {
  const { ui, fw } = app;
  const target = app.targetOf(d.id);
  return h('div', { class: 'domain-head' },
    h('p', { class: 'description', text: d.description }),
    h('div', { class: 'domain-meta' },
      ui.mode === 'respondents' && ui.respondent ? null : h('span', { class: 'who', text: whoScores(app) }),
      app.readOnly ? h('span', { class: 'target-pick' }, 'Target level ', h('strong', { text: target === null ? 'none' : `${target} ${app.levelLabel(target)}` })) : h('label', { class: 'target-pick' }, 'Target level ',
        h('select', {
          'data-k': `target:${d.id}`,
          onchange: (e) => {
            const v = e.target.value === '' ? null : Number(e.target.value);
            app.edit({ op: 'set_target', domain: d.id, level: v }, v === null ? 'Target cleared' : `Target level ${v}`);
          },
        },
        h('option', { value: '', selected: target === null }, 'None'),
        fw.levels.map((l, k) => h('option', { value: String(k + 1), selected: target === k + 1 }, `${k + 1} ${l.label}`))),
        h('kbd', { class: 'hint', 'aria-hidden': 'true', text: 'T' }))),
    ui.mode === 'respondents' && ui.respondent ? h('p', { class: 'person-now' },
      `${app.roundLabel(ui.round)}: scoring as `, h('strong', { text: ui.respondent }),
      `, ${groupLabel(app.doc.respondents.find((r) => r.id === ui.respondent)?.group ?? 'other')}`) : null);
}

/** A show of hands: a count per level, changed with − and + or typed in. */
function renderTally(app, d, i, compact, extra) {
  const { ui, fw } = app;
  const t = app.tallyOf(ui.round, d.id);
  const counts = t ? t.counts : fw.levels.map(() => 0);
  const unsure = t?.unsure ?? 0;
  const row = (levelNo, label, descriptor, count) => {
    const id = levelNo === 'unsure' ? 'unsure' : String(levelNo);
    const said = levelNo === 'unsure' ? 'unsure' : `level ${levelNo}, ${label}`;
    const ro = app.readOnly;
    const change = (value) => {
      const next = [...counts];
      let u = unsure;
      if (levelNo === 'unsure') u = value; else next[levelNo - 1] = value;
      app.ui.domain = i;
      app.setTally(d, next, u);
    };
    return h('div', { class: ['tally-row', levelNo === 'unsure' ? 'extra' : null] },
      h('span', { class: 'num', 'aria-hidden': 'true', text: levelNo === 'unsure' ? '?' : String(levelNo) }),
      h('span', { class: 'level-text' },
        h('span', { class: 'level-label', text: label }),
        !compact && descriptor ? h('span', { class: 'descriptor', text: descriptor }) : null),
      h('span', { class: 'counter' },
        h('button', {
          type: 'button', class: 'step', 'data-k': `tally:${d.id}:${id}:minus`, 'data-group-tally': `domain:${i}`,
          'aria-label': `Take a hand away: ${said}`, disabled: count === 0 || ro,
          onclick: () => { app.ui.domain = i; app.setLevel(levelNo, { remove: true, domain: d }); },
        }, '−'),
        h('input', {
          type: 'number', min: '0', step: '1', inputmode: 'numeric', class: 'count', value: String(count), readonly: ro,
          'data-k': `tally:${d.id}:${id}:count`,
          'aria-label': `Hands raised: ${said}`,
          onchange: (e) => change(e.target.value === '' ? 0 : Number(e.target.value)),
        }),
        h('button', {
          type: 'button', class: 'step', 'data-k': `tally:${d.id}:${id}:plus`,
          'data-domain-focus': id === '1' ? `domain:${i}` : null,
          'aria-label': `Add a hand: ${said}`, disabled: ro,
          onclick: () => { app.ui.domain = i; app.setLevel(levelNo, { domain: d }); },
        }, '+')));
  };
  return h('fieldset', { class: ['domain', 'tally', compact ? 'compact' : 'full'], 'data-domain': d.id },
    legendFor(app, d, compact),
    compact ? rowHead(app, d, extra) : renderDomainHead(app, d),
    h('div', { class: 'tally-rows' },
      fw.levels.map((l, k) => row(k + 1, l.label, d.descriptors[k], counts[k] ?? 0)),
      row('unsure', 'Unsure', null, unsure)),
    compact || app.readOnly ? null : h('p', { class: 'tally-help' },
      'Press a number to add a hand at that level, Shift + number to take one away, U for unsure.'));
}

function statItem(label, value, stat, extra) {
  return h('div', { class: 'stat' }, h('dt', { text: label }), h('dd', { 'data-stat': stat }, value, extra ?? null));
}

function splitMark(split) {
  return split
    ? h('p', { class: 'split-mark', 'data-stat': 'split' },
      h('span', { class: 'split-icon', 'aria-hidden': 'true', text: '⚠' }),
      h('span', null, h('strong', { text: 'Split room' }), ': views differ widely. Talk it through before agreeing a level.'))
    : null;
}

/** The focused domain's results for the current round, or a notice that they are hidden. */
function renderResults(app, d) {
  const { ui } = app;
  const s = app.domainSummary(ui.round, d.id);
  if (!ui.reveal) {
    return h('aside', { class: 'results hidden-results', 'aria-label': app.named('Results') },
      h('h3', { text: 'Results are hidden' }),
      h('p', { text: 'So that early answers don’t sway the room, the spread of scores stays hidden until you reveal it.' }),
      h('p', { class: 'so-far', 'data-stat': 'so-far' },
        `So far: ${s?.n ?? 0} ${s?.n === 1 ? 'rating' : 'ratings'}`, s?.unsure ? `, ${s.unsure} unsure` : ''),
      h('button', { type: 'button', class: 'primary', 'data-k': 'reveal-inline', onclick: () => app.toggleReveal() },
        'Reveal results ', h('kbd', { text: 'R' })));
  }
  let chart = null;
  try {
    chart = svgNode(app.chartText('distributionSvg', ui.round, d.id));
  } catch (e) {
    chart = h('p', { class: 'notice', text: e.message });
  }
  const headline = s?.headline == null ? '–' : num(s.headline);
  const headlineHow = s?.agreed != null ? ' (agreed)' : s?.headline != null ? ' (median)' : '';
  return h('aside', { class: 'results', 'aria-label': app.named(`Results for ${app.domainName(d)}`), 'data-round': ui.round, 'data-domain': d.id },
    h('h3', null, `Results: ${app.roundLabel(ui.round)}`),
    splitMark(s?.split),
    h('dl', { class: 'stats' },
      statItem('Median', num(s?.median), 'median'),
      statItem('Mean', num(s?.mean), 'mean'),
      statItem('Ratings (n)', String(s?.n ?? 0), 'n'),
      statItem('Unsure', String(s?.unsure ?? 0), 'unsure'),
      statItem('Within one level of median', percent(s?.agreement), 'agreement'),
      statItem('Headline', headline, 'headline', h('span', { class: 'how', text: headlineHow })),
      s?.target != null ? statItem('Target', String(s.target), 'target', h('span', { class: 'how', text: s.gap != null ? ` (gap ${num(s.gap)})` : '' })) : null),
    h('figure', { class: 'chart distribution' }, chart),
    renderGroups(s));
}

function renderGroups(s) {
  const groups = entries(s?.groups);
  if (!groups.length) return null;
  return h('table', { class: 'groups' },
    h('caption', { text: 'By group' }),
    h('thead', null, h('tr', null,
      h('th', { scope: 'col', text: 'Group' }), h('th', { scope: 'col', text: 'n' }),
      h('th', { scope: 'col', text: 'Mean' }), h('th', { scope: 'col', text: 'Median' }))),
    h('tbody', null, groups.map(([g, v]) => h('tr', { 'data-group-id': g },
      h('th', { scope: 'row', text: groupLabel(g) }), h('td', { text: String(v.n) }),
      h('td', { text: num(v.mean) }), h('td', { text: num(v.median) })))));
}

function renderCompactResults(app, d) {
  const s = app.domainSummary(app.ui.round, d.id);
  return h('div', { class: 'compact-results', 'data-round': app.ui.round, 'data-domain': d.id },
    h('dl', { class: 'stats inline' },
      statItem('Median', num(s?.median), 'median'),
      statItem('Mean', num(s?.mean), 'mean'),
      statItem('n', String(s?.n ?? 0), 'n'),
      s?.unsure ? statItem('Unsure', String(s.unsure), 'unsure') : null,
      s?.agreed != null ? statItem('Agreed', String(s.agreed), 'agreed') : null),
    s?.split ? h('p', { class: 'split-mark small', 'data-stat': 'split' },
      h('span', { class: 'split-icon', 'aria-hidden': 'true', text: '⚠' }), h('strong', { text: 'Split room' })) : null);
}

/** Each person: one row per respondent with their group and their ratings this round. */
function renderPeople(app) {
  const { ui, fw, doc } = app;
  const people = doc.respondents;
  const draft = app.personDraft ??= { id: '', group: 'education' };
  const groupSelect = (value, label, onchange, k) => h('select', { 'aria-label': label, 'data-k': k, onchange },
    GROUPS.map(([g, text]) => h('option', { value: g, selected: g === value }, text)));
  const cell = (p, d, i) => {
    const v = app.ratingOf(ui.round, p.id, d.id);
    const shown = v === null ? '–' : ui.reveal ? (v === 'unsure' ? '?' : String(v)) : '✓';
    const said = v === null ? 'not rated' : ui.reveal ? (v === 'unsure' ? 'unsure' : `level ${v}`) : 'rated';
    const here = p.id === ui.respondent && i === ui.domain;
    return h('td', { class: ['rating-cell', here ? 'here' : null] },
      h('button', {
        type: 'button', class: 'cell', 'data-k': `cell:${p.id}:${d.id}`,
        'aria-label': `${p.id}, ${app.domainName(d)}: ${said}`,
        onclick: () => { app.focusAfterRender = `domain:${i}`; app.setUi({ respondent: p.id, domain: i }); },
      }, shown));
  };
  return h('section', { class: 'people', 'aria-labelledby': 'people-title' },
    h('h3', { id: 'people-title' }, `People scoring: ${app.roundLabel(ui.round)}`, app.headingContext()),
    app.readOnly ? null : h('p', { class: 'hint' },
      'Pick who is scoring now, then press a number for each domain. ',
      h('kbd', { text: '[' }), ' and ', h('kbd', { text: ']' }), ' change person. Use initials or a code: names are not needed.'),
    people.length ? h('div', { class: 'table-wrap' }, h('table', { class: 'people-table' },
      h('caption', { class: 'visually-hidden', text: `One row per person with their group and ratings in ${app.roundLabel(ui.round)}${ui.reveal ? '' : ' (levels hidden until results are revealed)'}` }),
      h('thead', null, h('tr', null,
        h('th', { scope: 'col', text: 'Scoring now' }),
        h('th', { scope: 'col', text: 'Person' }),
        h('th', { scope: 'col', text: 'Group' }),
        fw.domains.map((d) => h('th', { scope: 'col', class: 'letter-col', title: d.title },
          h('span', { 'aria-hidden': 'true', text: d.letter }), h('span', { class: 'visually-hidden', text: app.domainName(d) }))),
        app.readOnly ? null : h('th', { scope: 'col' }, h('span', { class: 'visually-hidden', text: 'Remove' })))),
      h('tbody', null, people.map((p) => h('tr', { class: p.id === ui.respondent ? 'current' : null, 'data-person': p.id },
        h('td', null, h('input', {
          type: 'radio', name: 'who', 'data-role': 'who', 'data-k': `who:${p.id}`, checked: p.id === ui.respondent,
          'aria-label': `Score as ${p.id}`,
          onchange: () => app.setUi({ respondent: p.id }),
        })),
        h('th', { scope: 'row', class: 'person-id', text: p.id }),
        app.readOnly ? h('td', { text: groupLabel(p.group) }) : h('td', null, groupSelect(p.group, `Group of ${p.id}`,
          (e) => app.edit({ op: 'set_respondent', id: p.id, group: e.target.value }, `${p.id}: ${groupLabel(e.target.value)}`),
          `group:${p.id}`)),
        fw.domains.map((d, i) => cell(p, d, i)),
        app.readOnly ? null : h('td', null, h('button', {
          type: 'button', class: 'quiet small', 'data-k': `remove:${p.id}`,
          onclick: async () => {
            if (await app.confirm(`Remove ${p.id}?`, `${p.id} and all their ratings, in every round, will be removed. Undo brings them back.`, 'Remove')) {
              app.edit({ op: 'remove_respondent', id: p.id }, `Removed ${p.id}`);
            }
          },
        }, 'Remove', h('span', { class: 'visually-hidden', text: ` ${p.id}` })))))))) : null,
    app.readOnly ? null : h('form', {
      class: 'add-person',
      onsubmit: (e) => {
        e.preventDefault();
        const edit = { op: 'add_respondent', group: draft.group };
        if (draft.id.trim()) edit.id = draft.id.trim();
        const before = new Set(app.doc.respondents.map((r) => r.id));
        if (app.edit(edit, 'Person added')) {
          const added = app.doc.respondents.find((r) => !before.has(r.id));
          draft.id = '';
          if (added) {
            app.ui.respondent = added.id;
            app.announce(`Added ${added.id}; scoring as ${added.id}`);
            app.save();
          }
          app.focusAfterRender = `domain:${app.ui.domain}`;
        }
      },
    },
    h('label', null, 'Initials or code (optional) ',
      h('input', { type: 'text', 'data-k': 'new-person-id', value: draft.id, autocomplete: 'off', maxlength: '40', oninput: (e) => { draft.id = e.target.value; } })),
    h('label', null, 'Group ', groupSelect(draft.group, null, (e) => { draft.group = e.target.value; }, 'new-person-group')),
    h('button', { type: 'submit', class: 'primary', 'data-k': 'add-person' }, 'Add person')));
}
