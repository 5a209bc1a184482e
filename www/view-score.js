// The scoring view: one domain at a time (for the projector) or all of them, captured as the
// level the room agreed, a show of hands, or one row per person; results stay hidden until
// the facilitator reveals them.

import { h, GROUPS, groupLabel, MODES } from './dom.js';
import { legend, MODE_KEYS } from './keys.js';
import { HANDS } from './capture.js';
import { peopleWindow, peoplePager } from './people-list.js';

/**
 * Parts of this view fetched on first use, not with the element: what the room sees once
 * results are revealed (the statistics and charts, score-results.js) and the show of hands
 * (score-hands.js). Not the list of people: N puts focus in its box at once, and the
 * initials typed straight after must land there, not wait for a file. The element fetches
 * those the state needs (scoreParts) before it renders them, and gives them to this view as
 * app.part(name).
 */
export const SCORE_PARTS = {
  revealed: () => import('./score-results.js'),
  hands: () => import('./score-hands.js'),
};

/** The parts of SCORE_PARTS the score view needs to show the element's state. */
export function scoreParts(app) {
  const parts = [];
  if (app.ui.reveal) parts.push('revealed');
  if (app.ui.mode === 'tally') parts.push('hands');
  return parts;
}

export function renderScore(app) {
  const { ui, fw } = app;
  // The context the room must always see (area, round, capture, domain), kept on screen as
  // one block while the levels scroll under it; once the area's name above has scrolled
  // away, the block repeats it.
  const parts = [h('div', { class: 'score-context' },
    h('p', { class: 'context-area', 'aria-hidden': 'true', text: app.doc.area }),
    renderControls(app), renderStepper(app))];
  if (ui.layout === 'one') {
    const d = fw.domains[ui.domain];
    parts.push(h('div', { class: ['one', ui.reveal ? 'revealed' : null] },
      renderDomain(app, d, ui.domain, false),
      renderResults(app, d)));
    if (!app.readOnly) parts.push(keyLegend(app));
  } else {
    parts.push(h('div', { class: 'all' },
      fw.domains.map((d, i) => h('div', { class: ['all-row', i === ui.domain ? 'focused' : null], 'data-domain': d.id },
        renderDomain(app, d, i, true, ui.reveal ? app.part('revealed').renderCompactResults(app, d) : null)))));
    if (!app.readOnly) parts.push(keyLegend(app));
  }
  if (ui.mode === 'respondents') parts.push(renderPeople(app));
  return h('section', { class: ['score', app.readOnly ? 'readonly' : null], 'aria-label': app.named(app.readOnly ? 'Scores (read only)' : 'Score') }, parts);
}

/** The keys, always on show in a line under the domain (from KEYMAP); "?" gives the full list. */
function keyLegend(app) {
  return h('p', { class: 'key-legend' },
    h('span', { class: 'visually-hidden', text: 'Keyboard: ' }),
    legend(app).map(([k, v]) => h('span', { class: 'key-item' }, h('kbd', { text: k }), ` ${v}`)));
}

function segmented(label, items, current, onpick, key, keys) {
  return h('div', { class: 'segmented', role: 'group', 'aria-label': label },
    h('span', { class: 'seg-label', 'aria-hidden': 'true' }, label, keys?.group ? h('kbd', { class: 'hint', text: keys.group }) : null),
    items.map(([id, text, hint]) => h('button', {
      type: 'button',
      'data-k': `${key}:${id}`,
      'aria-pressed': String(id === current),
      'aria-keyshortcuts': keys?.[id] ?? null,
      title: hint ?? null,
      onclick: () => onpick(id),
    }, id === current ? h('span', { class: 'tick', 'aria-hidden': 'true', text: '✓ ' }) : null, text,
    keys?.[id] ? h('kbd', { class: 'hint', 'aria-hidden': 'true', text: keys[id] }) : null)));
}

function renderControls(app) {
  const { ui, doc } = app;
  const rounds = doc.rounds.map((r) => [r.id, [r.label, r.date ? h('span', { class: 'round-date', text: ` (${r.date})` }) : null]]);
  return h('div', { class: 'controls' },
    segmented('Round', rounds, ui.round, (id) => app.pickRound(id), 'round', app.readOnly ? null : { group: ', .' }),
    app.readOnly ? null : segmented('Capture', MODES, ui.mode, (id) => app.chooseMode(id), 'mode', MODE_KEYS),
    segmented('Show', [['one', 'One domain'], ['all', `All ${app.fw.domains.length}`]], ui.layout,
      (id) => { if (id !== ui.layout) app.toggleLayout(); }, 'layout', { group: 'L' }),
    ui.mode === 'tally' && !app.readOnly ? segmented('Hands of', HANDS.map(([g, text]) => [g ?? 'room', text]), ui.handsGroup ?? 'room',
      (id) => app.setUi({ handsGroup: id === 'room' ? null : id }), 'hands', { group: 'G' }) : null);
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
    // The room sees that a rating was given, not which, unless the facilitator shows it.
    if (!app.levelsShown) return ['✓', 'rated'];
    return v === 'unsure' ? ['?', 'unsure'] : [String(v), `rated ${v}`];
  }
  const any = app.sourcesOf(ui.round, d.id).hands > 0;
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

export function legendFor(app, d, compact) {
  if (compact) return h('legend', { class: 'visually-hidden' }, `${d.letter} ${d.title}`);
  return h('legend', null,
    h('span', { class: 'letter', 'aria-hidden': 'true', text: d.letter }),
    h('span', { class: 'domain-title', text: d.title }),
    h('span', { class: 'visually-hidden', text: ` (${whoScores(app)})` }));
}

/** In the all-domains list: the domain's title (the hidden legend names the group) and results. */
export function rowHead(app, d, extra) {
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
  return app.ui.mode === 'tally' ? app.part('hands').renderTally(app, d, i, compact, extra) : renderLevels(app, d, i, compact, extra);
}

/** A domain's levels as a real radio group: a fieldset, its legend, one radio per level. */
function renderLevels(app, d, i, compact, extra) {
  const { ui, fw } = app;
  const agreed = ui.mode === 'agreed';
  const noPerson = ui.mode === 'respondents' && !ui.respondent;
  const ro = app.readOnly;
  const given = agreed ? app.agreedOf(ui.round, d.id) : (ui.respondent ? app.ratingOf(ui.round, ui.respondent, d.id) : null);
  // A person's level is recorded but not marked on the cards the room can see, unless the
  // facilitator shows who rated what (I) after the reveal.
  // (undefined, not null: null is the "no rating" card, which would then show as chosen).
  const value = ui.mode === 'respondents' && !app.levelsShown ? undefined : given;
  const target = app.targetOf(d.id);
  const name = `level-${i}`;
  const options = fw.levels.map((l, k) => ({ value: k + 1, num: String(k + 1), label: l.label, descriptor: d.descriptors[k] }));
  const extras = agreed
    ? [{ value: null, num: '–', label: 'Not agreed yet', key: 'U' }]
    : [{ value: 'unsure', num: '?', label: 'Unsure', key: 'U' }, { value: null, num: '–', label: 'No rating', key: 'Del' }];
  const all = [...options, ...extras];
  // Focus (and the keys) sit on the chosen level, or on the first level when none is chosen:
  // not on "not agreed yet" at the bottom, which would scroll the domain's title away.
  const focusOn = value !== null && all.some((o) => o.value === value) ? value : options[0].value;
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

export function renderDomainHead(app, d) {
  const { ui, fw } = app;
  const target = app.targetOf(d.id);
  const i = fw.domains.indexOf(d);
  const person = ui.mode === 'respondents' && ui.respondent ? app.doc.respondents.find((r) => r.id === ui.respondent) : null;
  const given = person ? app.ratingOf(ui.round, person.id, d.id) : null;
  return h('div', { class: 'domain-head' },
    app.pendingTarget === i ? h('p', { class: 'notice target-prompt', role: 'status', 'data-k': 'target-prompt' },
      h('strong', { text: `Target for ${app.domainName(d)}: ` }), `press 1 to ${fw.levels.length}, Delete to clear it, Esc to cancel`) : null,
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
    person ? h('p', { class: 'person-now', 'data-k': 'person-now' },
      `${app.roundLabel(ui.round)}: scoring as `, h('bdi', { class: 'who-now', text: person.id }),
      `, ${groupLabel(person.group)}`,
      h('span', { class: 'person-state', 'data-stat': 'person-state' },
        given === null ? ' · not rated yet'
          : app.levelsShown ? ` · ${given === 'unsure' ? 'unsure' : `rated ${given}`}`
            : ui.reveal ? ' · rated ✓ (private: I shows who rated what)' : ' · rated ✓ (hidden until you reveal)')) : null);
}
/** The focused domain's results for the current round, or (until revealed) what it holds so far. */
function renderResults(app, d) {
  const { ui } = app;
  if (ui.reveal) return app.part('revealed').renderResults(app, d);
  return h('aside', { class: 'results hidden-results', 'aria-label': app.named('Results') },
    h('h3', { text: 'Results are hidden' }),
    h('p', { text: 'So that early answers don’t sway the room, the spread of scores stays hidden until you reveal it.' }),
    h('p', { class: 'so-far', 'data-stat': 'so-far', text: soFar(app, d, app.domainSummary(ui.round, d.id)) }),
    h('button', { type: 'button', class: 'primary', 'data-k': 'reveal-inline', onclick: () => app.toggleReveal() },
      'Reveal results ', h('kbd', { text: 'R' })));
}

/** What the round holds so far for a domain, without its spread: safe to show while hidden. */
function soFar(app, d, s) {
  const { hands, people } = app.sourcesOf(app.ui.round, d.id);
  const agreed = app.agreedOf(app.ui.round, d.id);
  const parts = [];
  if (agreed != null) parts.push(`agreed level ${agreed}`);
  if (people) parts.push(`${people} ${people === 1 ? 'person' : 'people'} rated`);
  if (hands) parts.push(`${hands} ${hands === 1 ? 'hand' : 'hands'} counted`);
  if (!parts.length) return 'Nothing scored yet';
  const text = parts.join(' · ');
  return `So far: ${text}${s?.unsure && !hands ? ` (${s.unsure} unsure)` : ''}`;
}

/** Each person: one row per respondent with their group and their ratings this round. */
function renderPeople(app) {
  const { ui, fw, doc } = app;
  const people = doc.respondents;
  // Only a page of rows is built: a file may hold thousands of people.
  const win = peopleWindow(app, people);
  // One question to the engine for the page's people, not one per cell.
  app.loadRatings(ui.round, win.rows.map((p) => p.id));
  const draft = app.personDraft ??= { id: '', group: 'education' };
  const groupSelect = (value, label, onchange, k) => h('select', { 'aria-label': label, 'data-k': k, onchange },
    GROUPS.map(([g, text]) => h('option', { value: g, selected: g === value }, text)));
  // Who rated what stays private unless the facilitator shows it (I), and then only once
  // results are revealed: the room sees who has rated, not their levels.
  const open = app.levelsShown;
  const cell = (p, d, i) => {
    const v = app.ratingOf(ui.round, p.id, d.id);
    const shown = v === null ? '–' : open ? (v === 'unsure' ? '?' : String(v)) : '✓';
    const said = v === null ? 'not rated' : open ? (v === 'unsure' ? 'unsure' : `level ${v}`) : 'rated';
    const here = p.id === ui.respondent && i === ui.domain;
    return h('td', { class: ['rating-cell', here ? 'here' : null] },
      h('button', {
        type: 'button', class: 'cell', 'data-k': `cell:${p.id}:${d.id}`,
        'aria-label': `${p.id}, ${app.domainName(d)}: ${said}`,
        onclick: () => { app.focusAfterRender = `domain:${i}`; app.setUi({ respondent: p.id, domain: i }); },
      }, shown));
  };
  const next = nextCode(doc);
  const addPerson = (form) => {
    const edit = { op: 'add_respondent', group: draft.group };
    const typed = draft.id.trim();
    if (typed) edit.id = typed;
    if (typed && doc.respondents.some((r) => r.id === typed)) {
      app.personNote = `${typed} is already on the list: use other initials, or pick ${typed} in the table.`;
      app.invalidate();
      return;
    }
    const before = new Set(app.doc.respondents.map((r) => r.id));
    if (app.edit(edit, 'Person added')) {
      const added = app.doc.respondents.find((r) => !before.has(r.id));
      draft.id = '';
      app.personNote = null;
      // The box has focus, so a render would leave what was typed in it: clear it here.
      const box = form.querySelector('[data-k="new-person-id"]');
      if (box) box.value = '';
      if (added) {
        app.ui.respondent = added.id;
        app.announce(`Added ${added.id}; scoring as ${added.id}`);
        app.saveSoon();
      }
      app.focusAfterRender = `domain:${app.ui.domain}`;
    }
  };
  return h('section', { class: 'people', 'aria-labelledby': 'people-title' },
    h('div', { class: 'people-head' },
      h('h3', { id: 'people-title' }, `People scoring: ${app.roundLabel(ui.round)}`, app.headingContext()),
      app.readOnly ? null : h('button', {
        type: 'button', class: ['toggle', 'quiet', 'small'], 'data-k': 'names', 'aria-pressed': String(ui.names), 'aria-keyshortcuts': 'I',
        onclick: () => app.toggleNames(),
      }, ui.names ? 'Hide who rated what ' : 'Show who rated what ', h('kbd', { text: 'I' }))),
    app.readOnly ? null : h('p', { class: 'hint' },
      'Pick who is scoring now, then press a number for each domain. ',
      h('kbd', { text: '[' }), ' and ', h('kbd', { text: ']' }), ' change person, ', h('kbd', { text: 'N' }), ' adds one. Use initials or a code: names are not needed. ',
      ui.names ? 'Each person’s levels show once results are revealed.' : 'Each person’s levels stay private: the room sees only who has rated.'),
    people.length ? h('div', { class: 'table-wrap' }, h('table', { class: 'people-table' },
      h('caption', { class: 'visually-hidden', text: `One row per person with their group and ratings in ${app.roundLabel(ui.round)}${ui.reveal ? '' : ' (levels hidden until results are revealed)'}` }),
      h('thead', null, h('tr', null,
        h('th', { scope: 'col', text: 'Scoring now' }),
        h('th', { scope: 'col', text: 'Person' }),
        h('th', { scope: 'col', text: 'Group' }),
        fw.domains.map((d) => h('th', { scope: 'col', class: 'letter-col', title: d.title },
          h('span', { 'aria-hidden': 'true', text: d.letter }), h('span', { class: 'visually-hidden', text: app.domainName(d) }))),
        app.readOnly ? null : h('th', { scope: 'col' }, h('span', { class: 'visually-hidden', text: 'Remove' })))),
      h('tbody', null, win.rows.map((p) => h('tr', { class: p.id === ui.respondent ? 'current' : null, 'data-person': p.id },
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
    peoplePager(app, win, people),
    app.readOnly ? null : h('form', {
      class: 'add-person',
      onsubmit: (e) => {
        e.preventDefault();
        addPerson(e.currentTarget);
      },
    },
    h('label', null, 'Initials or code ',
      h('input', {
        type: 'text', 'data-k': 'new-person-id', value: draft.id, autocomplete: 'off', maxlength: '40', placeholder: next,
        'aria-describedby': 'new-person-note',
        oninput: (e) => { draft.id = e.target.value; },
        onkeydown: (e) => {
          if (e.key !== 'Escape') return;
          // Back to scoring, where the number keys work.
          e.preventDefault();
          app.personNote = null;
          app.focusAfterRender = `domain:${app.ui.domain}`;
          app.invalidate();
        },
      })),
    h('label', null, 'Group ', groupSelect(draft.group, null, (e) => { draft.group = e.target.value; }, 'new-person-group')),
    h('button', { type: 'submit', class: 'primary', 'data-k': 'add-person' }, 'Add person'),
    h('p', { id: 'new-person-note', class: ['field-note', app.personNote ? 'warn' : null], 'data-k': 'person-note', role: app.personNote ? 'status' : null,
      text: app.personNote ?? `Enter adds them. Left empty, they get the code ${next}.` })));
}

/** The code the engine gives a person added without initials: r1, r2, … (the first free). */
function nextCode(doc) {
  let n = doc.respondents.length + 1;
  while (doc.respondents.some((r) => r.id === `r${n}`)) n++;
  return `r${n}`;
}
