// Plain words for every figure the page shows: what a headline rests on, and a sentence or two
// a teacher understands for each term. The views, the print report and the keys share them,
// so a figure is explained the same way wherever it appears.

import { h, num } from './dom.js';

/**
 * What a domain's headline rests on, in a few words to put beside the number itself:
 * "agreed · median 2.5 of 12" (so "3 agreed · median 2.5 of 12" reads whole), "median of 6",
 * "agreed · no votes", "not scored". An agreed level is never read as a median, nor a median
 * as coming from more ratings than it did.
 */
export function headlineSource(s) {
  if (!s || s.headline == null) return s?.unsure ? `not scored (${s.unsure} unsure)` : 'not scored';
  if (s.agreed != null) return s.n > 0 ? `agreed · median ${num(s.median)} of ${s.n}` : 'agreed · no votes';
  return `median of ${s.n}`;
}

/** Where a domain's votes came from, when it was more than one way of counting. */
export function sourcesText({ hands, people }) {
  if (hands && people) return `${hands} ${hands === 1 ? 'hand' : 'hands'} and ${people} ${people === 1 ? 'person’s rating' : 'people’s ratings'}, counted together`;
  return '';
}

/** A target and how far is left to go: "4 (1 to go)", "3 (reached)", "–". */
export function targetText(target, gap) {
  if (target == null) return '–';
  if (gap == null) return String(target);
  if (gap <= 0) return `${target} (reached)`;
  return `${target} (${num(gap)} to go)`;
}

/** Every term the page uses, in words a teacher understands. */
export const TERMS = {
  headline: ['Headline', 'The score that counts for the domain: the level the room agreed, where it agreed one; otherwise the median of everyone’s votes.'],
  agreed: ['Agreed', 'The level the room settled on together after talking it through.'],
  median: ['Median', 'The middle vote when all votes are put in order. With an even number of votes it is halfway between the two middle ones, so 2.5 can happen.'],
  mean: ['Mean', 'The average of the votes.'],
  n: ['n', 'How many people gave a level. “Unsure” votes are counted separately and never change a figure.'],
  agreement: ['Within one level of the median', 'The share of votes no more than one level away from the middle vote: how close together the room is.'],
  split: ['Split room', 'Shown when fewer than two thirds of at least three votes are within one level of the median: views differ widely, so talk it through before agreeing a level.'],
  target: ['Target (to go)', 'The level the area aims for in this domain, and how many levels are left to reach it from the headline.'],
  overall: ['Overall', 'The average of the seven headlines. It needs every domain scored in the round.'],
  change: ['Change', 'The later round’s headline minus the earlier one’s: above 0 means joint working is rated better.'],
  paired: ['Paired changes', 'Only the people who rated the domain at both workshops, under the same name or code: how many moved up, stayed the same or moved down.'],
  p: ['Sign test p', 'Among the paired people who changed their view, how likely so many ups against downs (or more) would be if nothing had really changed. Below 0.05 is unlikely to be chance; with few people it rarely gets that low, so read it as a guide.'],
  gap: ['Perception gap', 'Education’s average vote minus mental health’s. Above 0: schools and colleges rate joint working higher than mental health staff do. Closer to 0 at the follow-up means the two now see it more alike.'],
};

/** A "What these numbers mean" box with the terms named, for a view or the report. */
export function explain(names, { open = false, print = false } = {}) {
  const list = h('dl', { class: 'terms' }, names.map((k) => [h('dt', { text: TERMS[k][0] }), h('dd', { text: TERMS[k][1] })]));
  if (print) return h('section', { class: 'report-section explain-terms', 'data-section': 'terms' }, h('h2', { text: 'What these numbers mean' }), list);
  return h('details', { class: 'explain-terms', open, 'data-k': `terms:${names.join(',')}` },
    h('summary', { text: 'What these numbers mean' }), list);
}
