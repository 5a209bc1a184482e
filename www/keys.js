// The keyboard of <cascade-assessment>: one table, KEYMAP, drives both the key handler and the
// keys dialog, so a key cannot work without being listed or be listed without working.
//
// Each entry: `section` (a heading in the dialog), `keys` (what the dialog shows; a function of
// the element when it depends on the scale), `does` (what it does, in words), `match(e)`,
// `run(app, e)`, and where it applies: `views` (the views it works in; all when absent),
// `edits` (true: it changes the assessment, so not in the results and read-only modes),
// `short` (the word in the line of keys under the domain, if it has one there).

import { MODES } from './dom.js';

/** The digit of a number key, also with Shift held (which changes `key` but not `code`). */
export function digitOf(e) {
  const m = /^(?:Digit|Numpad)(\d)$/.exec(e.code ?? '');
  if (m) return Number(m[1]);
  if (/^\d$/.test(e.key)) return Number(e.key);
  return null;
}

const letter = (k) => (e) => !e.ctrlKey && e.key.length === 1 && e.key.toLowerCase() === k;
const oneOf = (...keys) => (e) => !e.ctrlKey && keys.includes(e.key);
const topKey = (app) => (app.fw && app.fw.levels.length >= 10 ? '0' : String(app.fw?.levels.length ?? 5));

/** The view keys, by view id; a view missing from a mode has no key there. */
export const VIEW_KEYS = { score: 'S', results: 'V', compare: 'C', plan: 'P', files: 'O' };

/** The capture keys, by mode id. */
export const MODE_KEYS = { agreed: 'A', tally: 'H', respondents: 'E' };

export const KEYMAP = [
  // ---- scoring the domain in focus
  {
    section: 'Scoring', keys: (app) => `1 – ${topKey(app)}`, views: ['score'], edits: true,
    does: 'Set the level of the domain in focus; in a show of hands, add a hand at that level',
    short: (app) => (app.ui.mode === 'tally' ? 'add a hand (Shift: take away)' : 'level'),
    match: (e) => !e.ctrlKey && !e.shiftKey && digitOf(e) !== null,
    run: (app, e) => app.levelKey(digitOf(e), false),
  },
  {
    section: 'Scoring', keys: (app) => `Shift + 1 – ${topKey(app)}`, views: ['score'], edits: true,
    does: 'Show of hands: take a hand away at that level',
    match: (e) => !e.ctrlKey && e.shiftKey && digitOf(e) !== null,
    run: (app, e) => app.levelKey(digitOf(e), true),
  },
  {
    section: 'Scoring', keys: 'U', views: ['score'], edits: true,
    does: 'Unsure (“don’t know”); with agreed levels: not agreed yet. Shift + U takes an unsure hand away',
    short: (app) => (app.ui.mode === 'agreed' ? 'not agreed' : 'unsure'),
    match: letter('u'),
    run: (app, e) => app.setLevel('unsure', { remove: e.shiftKey }),
  },
  {
    section: 'Scoring', keys: 'Delete', views: ['score'], edits: true,
    does: 'Clear the domain’s level (in a show of hands: all its hands)',
    match: oneOf('Delete', 'Backspace'),
    run: (app) => app.setLevel(null),
  },
  {
    section: 'Scoring', keys: (app) => `T, then 1 – ${topKey(app)}`, views: ['score'], edits: true,
    does: 'Set the domain’s target level, whatever its score; T then Delete clears it',
    short: 'target', legendKeys: 'T',
    match: letter('t'),
    run: (app) => app.startTarget(),
  },
  // ---- moving around
  {
    section: 'Moving around', keys: '← → or PgUp PgDn', views: ['score'],
    does: 'Previous or next domain (↑ ↓ too)',
    short: 'domain', legendKeys: '← →',
    match: oneOf('ArrowLeft', 'ArrowRight', 'ArrowUp', 'ArrowDown', 'PageUp', 'PageDown'),
    run: (app, e) => app.moveDomain(['ArrowLeft', 'ArrowUp', 'PageUp'].includes(e.key) ? -1 : 1),
  },
  {
    section: 'Moving around', keys: ', .', edits: true,
    does: 'Previous or next round',
    short: 'round',
    match: oneOf(',', '.', '<', '>'),
    run: (app, e) => app.moveRound(e.key === ',' || e.key === '<' ? -1 : 1),
  },
  {
    section: 'Moving around', keys: 'L', views: ['score'],
    does: 'One domain at a time, or all of them',
    match: letter('l'),
    run: (app) => app.toggleLayout(),
  },
  ...Object.entries(VIEW_KEYS).map(([view, key]) => ({
    section: 'Moving around', keys: key, view,
    does: (app) => `Go to ${app.viewLabel(view)}`,
    match: letter(key.toLowerCase()),
    run: (app) => app.goToView(view),
  })),
  // ---- how the room is counted
  ...MODES.map(([mode, label]) => ({
    section: 'Capture', keys: MODE_KEYS[mode], views: ['score'], edits: true,
    does: `Capture: ${label.toLowerCase()}`,
    match: letter(MODE_KEYS[mode].toLowerCase()),
    run: (app) => app.chooseMode(mode),
  })),
  {
    section: 'Capture', keys: 'G', views: ['score'], edits: true,
    does: 'Show of hands: count the whole room, or education, mental health and others in turn; each person: change their group',
    short: (app) => (app.ui.mode === 'agreed' ? null : 'group'),
    match: letter('g'),
    run: (app) => app.cycleGroup(),
  },
  {
    section: 'Capture', keys: 'N', views: ['score'], edits: true,
    does: 'Add a person: type their initials or a code, then Enter (Esc goes back to scoring)',
    short: (app) => (app.ui.mode === 'respondents' ? 'new person' : null),
    match: letter('n'),
    run: (app) => app.startPerson(),
  },
  {
    section: 'Capture', keys: '[ ]', views: ['score'], edits: true,
    does: 'Previous or next person (each person)',
    short: (app) => (app.ui.mode === 'respondents' ? 'person' : null),
    match: oneOf('[', ']'),
    run: (app, e) => app.moveRespondent(e.key === ']' ? 1 : -1),
  },
  // ---- what the room sees
  {
    section: 'The room', keys: 'R', edits: true,
    does: 'Reveal or hide the results',
    short: (app) => (app.ui.reveal ? 'hide' : 'reveal'),
    match: letter('r'),
    run: (app) => app.toggleReveal(),
  },
  {
    section: 'The room', keys: 'I', views: ['score'], edits: true,
    does: 'Show or hide who rated what (each person’s levels beside their initials)',
    match: letter('i'),
    run: (app) => app.toggleNames(),
  },
  {
    section: 'The room', keys: 'F',
    does: 'Present full screen, or leave it',
    short: 'present',
    match: letter('f'),
    run: (app) => app.togglePresent(),
  },
  // ---- undo
  {
    section: 'Undo', keys: 'Z or Ctrl + Z', edits: true,
    does: 'Undo',
    match: (e) => e.key.toLowerCase() === 'z' && !e.shiftKey,
    run: (app) => app.undo(),
  },
  {
    section: 'Undo', keys: 'Y, Ctrl + Y or Ctrl + Shift + Z', edits: true,
    does: 'Redo',
    match: (e) => e.key.toLowerCase() === 'y' || (e.ctrlKey && e.shiftKey && e.key.toLowerCase() === 'z'),
    run: (app) => app.redo(),
  },
  {
    section: 'Help', keys: '?',
    does: 'Show or hide these keys',
    short: 'all keys',
    match: (e) => e.key === '?',
    run: (app) => app.openHelp(),
  },
];

/** Whether an entry works in the element's current state: its mode, view and the views it has. */
export function available(entry, app) {
  if (entry.edits && app.readOnly) return false;
  if (entry.view && !app.views.some(([v]) => v === entry.view)) return false;
  if (entry.views && !entry.views.includes(app.ui.view)) return false;
  return true;
}

/** Text of an entry's keys or words, which may depend on the element (the scale's top level). */
export function say(value, app) {
  return typeof value === 'function' ? value(app) : value;
}

/** The line of keys under a domain: [keys, word] of the entries that have a word now. */
export function legend(app) {
  return KEYMAP.filter((k) => k.short && available(k, app))
    .map((k) => [say(k.legendKeys ?? k.keys, app), say(k.short, app)])
    .filter(([, word]) => word);
}

/** The entry a key press is for, if any; Ctrl goes only to undo and redo. */
export function entryFor(e) {
  return KEYMAP.find((k) => k.match(e) && (!e.ctrlKey || k.section === 'Undo'));
}
