// The score view's results, once the facilitator reveals them: the headline and what it
// rests on, the statistics, the distribution chart and the groups. Fetched on first use (the
// first reveal), since until then the room sees none of it; see SCORE_PARTS in view-score.js.

import { h, svgNode, num, percent, entries, groupLabel } from './dom.js';
import { headlineSource, explain, targetText, sourcesText } from './words.js';

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

/** The focused domain's results for the current round, once revealed. */
export function renderResults(app, d) {
  const { ui } = app;
  const s = app.domainSummary(ui.round, d.id);
  const sources = app.sourcesOf(ui.round, d.id);
  const headline = s?.headline == null ? '–' : num(s.headline);
  const together = sourcesText(sources);
  const gap = s?.groups && app.perceptionGap(ui.round, d.id);
  let chart = null;
  if (s?.n) {
    try {
      chart = h('figure', { class: 'chart distribution' }, svgNode(app.chartText('distributionSvg', ui.round, d.id)));
    } catch (e) {
      chart = h('p', { class: 'notice', text: e.message });
    }
  }
  return h('aside', { class: 'results', 'aria-label': app.named(`Results for ${app.domainName(d)}`), 'data-round': ui.round, 'data-domain': d.id },
    h('h3', null, `Results: ${app.roundLabel(ui.round)}`),
    h('p', { class: 'headline-line' },
      h('span', { class: 'headline-label', text: 'Headline ' }),
      h('strong', { class: 'headline-value', 'data-stat': 'headline', text: headline }),
      h('span', { class: 'headline-source', 'data-stat': 'headline-source', text: ` ${headlineSource(s)}` })),
    splitMark(s?.split),
    together ? h('p', { class: 'notice both-kinds', 'data-stat': 'sources', text: `${together}: check they are different people.` }) : null,
    s?.n ? h('dl', { class: 'stats' },
      statItem('Median', num(s?.median), 'median'),
      statItem('Mean', num(s?.mean), 'mean'),
      statItem('Votes (n)', String(s?.n ?? 0), 'n'),
      statItem('Unsure', String(s?.unsure ?? 0), 'unsure'),
      statItem('Within one level of median', percent(s?.agreement), 'agreement'),
      s?.target != null ? statItem('Target', targetText(s.target, s.gap), 'target') : null)
      : h('p', { class: 'no-votes', 'data-stat': 'no-votes', text: s?.agreed != null
        ? `No votes were counted for this domain in ${app.roundLabel(ui.round)}: the headline is the level the room agreed, ${s.agreed}.${s.unsure ? ` ${s.unsure} unsure.` : ''}`
        : `Nothing has been scored for this domain in ${app.roundLabel(ui.round)} yet.` }),
    chart,
    renderGroups(s, gap),
    explain(['headline', 'median', 'agreement', 'split', 'target', 'gap']));
}

function renderGroups(s, gap) {
  const groups = entries(s?.groups);
  if (!groups.length) return null;
  return h('div', { class: 'table-wrap' }, h('table', { class: 'groups' },
    h('caption', { text: 'By group' }),
    h('thead', null, h('tr', null,
      h('th', { scope: 'col', text: 'Group' }), h('th', { scope: 'col', text: 'n' }),
      h('th', { scope: 'col', text: 'Mean' }), h('th', { scope: 'col', text: 'Median' }))),
    h('tbody', null, groups.map(([g, v]) => h('tr', { 'data-group-id': g },
      h('th', { scope: 'row', text: g === 'other' && groups.length === 1 ? 'Whole room (no groups)' : groupLabel(g) }), h('td', { text: String(v.n) }),
      h('td', { text: num(v.mean) }), h('td', { text: num(v.median) })))),
    gap != null ? h('tfoot', null, h('tr', { 'data-stat': 'perception-gap' },
      h('th', { scope: 'row', text: 'Perception gap' }),
      h('td', { colspan: '3', text: `${num(gap)}: ${gap > 0 ? 'education rates it higher' : gap < 0 ? 'mental health rates it higher' : 'both see it the same'}` }))) : null));
}

/** In the all-domains list, once revealed: a domain's headline and whether the room is split. */
export function renderCompactResults(app, d) {
  const s = app.domainSummary(app.ui.round, d.id);
  return h('div', { class: 'compact-results', 'data-round': app.ui.round, 'data-domain': d.id },
    h('p', { class: 'headline-line' },
      h('strong', { class: 'headline-value', 'data-stat': 'headline', text: num(s?.headline) }),
      h('span', { class: 'headline-source', 'data-stat': 'headline-source', text: ` ${headlineSource(s)}` })),
    s?.split ? h('p', { class: 'split-mark small', 'data-stat': 'split', title: 'Views differ widely: talk it through before agreeing a level' },
      h('span', { class: 'split-icon', 'aria-hidden': 'true', text: '⚠' }), h('strong', { text: 'Split room' }), h('span', { class: 'split-words', text: ': views differ widely' })) : null);
}
