// The score view's show of hands: a count per level, for the whole room or per group.
// Fetched on first use (when the facilitator first counts hands, H); see SCORE_PARTS in
// view-score.js.

import { h, groupLabel } from './dom.js';
import { HANDS } from './capture.js';
import { legendFor, rowHead, renderDomainHead } from './view-score.js';

/** The groups a show of hands is counted by, when it is split: the programme's core question. */
const HAND_GROUPS = HANDS.filter(([g]) => g !== null);

/**
 * A show of hands: a count per level, changed with − and + or typed in; the whole room at
 * once, or education, mental health and others side by side. While results are hidden the
 * counts per level are masked (the spread is the result) and only how many hands is shown.
 */
export function renderTally(app, d, i, compact, extra) {
  const { ui, fw } = app;
  const ro = app.readOnly;
  const masked = !ui.reveal && !ro;
  const split = ui.handsGroup !== null || app.doc.tallies.some((t) => t.round === ui.round && t.domain === d.id && t.group !== 'other');
  // All domains at once has room for one group's counters a domain: the group being counted.
  const groups = !split ? [['other', null]] : compact ? HAND_GROUPS.filter(([g]) => g === (ui.handsGroup ?? 'other')) : HAND_GROUPS;
  const tallies = new Map(groups.map(([g]) => [g, app.tallyOf(ui.round, d.id, g)]));
  const countOf = (g, levelNo) => {
    const t = tallies.get(g);
    if (!t) return 0;
    return levelNo === 'unsure' ? t.unsure : (t.counts[levelNo - 1] ?? 0);
  };
  const counter = (levelNo, label, g, gLabel) => {
    const id = levelNo === 'unsure' ? 'unsure' : String(levelNo);
    const said = `${gLabel ? `${gLabel}, ` : ''}${levelNo === 'unsure' ? 'unsure' : `level ${levelNo}, ${label}`}`;
    const count = countOf(g, levelNo);
    const key = `tally:${d.id}:${split ? `${g}:` : ''}${id}`;
    const change = (value) => {
      const t = tallies.get(g);
      const next = t ? [...t.counts] : fw.levels.map(() => 0);
      let u = t?.unsure ?? 0;
      if (levelNo === 'unsure') u = value; else next[levelNo - 1] = value;
      app.ui.domain = i;
      app.setTally(d, next, u, g);
    };
    const pick = () => {
      app.ui.domain = i;
      if (split) app.ui.handsGroup = g;
    };
    const current = split && (ui.handsGroup ?? 'other') === g;
    return h('span', { class: ['counter', current ? 'current-group' : null], 'data-group-id': split ? g : null },
      h('button', {
        type: 'button', class: 'step', 'data-k': `${key}:minus`, 'data-group-tally': `domain:${i}`,
        // Masked, a disabled button would tell the room which levels have no hands.
        'aria-label': `Take a hand away: ${said}`, disabled: ro || (count === 0 && !masked),
        onclick: () => { pick(); app.setLevel(levelNo, { remove: true, domain: d }); },
      }, '−'),
      masked
        ? h('span', { class: 'count masked', 'data-k': `${key}:masked`, 'aria-label': `Hands: hidden until results are revealed (${said})`, text: '•' })
        : h('input', {
          type: 'number', min: '0', step: '1', inputmode: 'numeric', class: 'count', value: String(count), readonly: ro,
          'data-k': `${key}:count`,
          'aria-label': `Hands raised: ${said}`,
          onchange: (e) => change(e.target.value === '' ? 0 : Number(e.target.value)),
        }),
      h('button', {
        type: 'button', class: 'step', 'data-k': `${key}:plus`,
        'data-domain-focus': id === '1' && (!split || current) ? `domain:${i}` : null,
        'aria-label': `Add a hand: ${said}`, disabled: ro,
        onclick: () => { pick(); app.setLevel(levelNo, { domain: d }); },
      }, '+'));
  };
  const row = (levelNo, label, descriptor) => h('div', { class: ['tally-row', levelNo === 'unsure' ? 'extra' : null, split && !compact ? 'by-group' : null] },
    h('span', { class: 'num', 'aria-hidden': 'true', text: levelNo === 'unsure' ? '?' : String(levelNo) }),
    h('span', { class: 'level-text' },
      h('span', { class: 'level-label', text: label }),
      !compact && descriptor && !split ? h('span', { class: 'descriptor', text: descriptor }) : null),
    h('span', { class: 'counters' }, groups.map(([g, gLabel]) => counter(levelNo, label, g, gLabel))));
  const totals = groups.map(([g, gLabel]) => {
    const t = tallies.get(g);
    const n = t ? t.unsure + t.counts.reduce((a, b) => a + b, 0) : 0;
    return [g, gLabel, n];
  });
  return h('fieldset', { class: ['domain', 'tally', compact ? 'compact' : 'full'], 'data-domain': d.id },
    legendFor(app, d, compact),
    compact ? rowHead(app, d, extra) : renderDomainHead(app, d),
    split && !compact ? h('div', { class: 'tally-head', 'aria-hidden': 'true' },
      h('span', null), h('span', null),
      h('span', { class: 'counters' }, HAND_GROUPS.map(([g, label]) => h('span', { class: ['group-head', (ui.handsGroup ?? 'other') === g ? 'current-group' : null], text: label })))) : null,
    h('div', { class: 'tally-rows' },
      fw.levels.map((l, k) => row(k + 1, l.label, d.descriptors[k])),
      row('unsure', 'Unsure', null)),
    h('p', { class: 'tally-total', 'data-stat': 'hands' },
      split ? totals.map(([, label, n], k) => [k ? ' · ' : '', `${label}: ${n} ${n === 1 ? 'hand' : 'hands'}`]) : `${totals[0][2]} ${totals[0][2] === 1 ? 'hand' : 'hands'} counted`,
      masked ? ' (levels hidden until you reveal)' : ''),
    compact || ro ? null : h('p', { class: 'tally-help' },
      split ? `Counting ${groupLabel(ui.handsGroup ?? 'other') === 'Other' ? 'others’' : `${groupLabel(ui.handsGroup).toLowerCase()}`} hands: press a number to add a hand, Shift + number to take one away, G for the next group.`
        : 'Press a number to add a hand at that level, Shift + number to take one away, U for unsure. G counts by group.'));
}
