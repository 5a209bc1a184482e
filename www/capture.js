// How the room is counted, for <cascade-assessment>: a level, a hand or a person's rating for
// the domain in focus, a target set apart from the score, and the choice between ways of
// counting a round, so that the same people are never counted twice without a word.
// These are methods of the element (mixed into its prototype), called by the keys
// (keys.js) and by the views alike.

import { MODES, GROUPS, groupLabel } from './dom.js';
import { digitOf } from './keys.js';

/**
 * Whose hands a show of hands counts, in the order G steps through them: the whole room
 * (null: its hands are kept as group `other`), then education, mental health and others.
 * The view's choice of buttons and its columns of counters are read from this one table.
 */
export const HANDS = [[null, 'Whole room'], ['education', 'Education'], ['mental-health', 'Mental health'], ['other', 'Others']];
export const HANDS_GROUPS = HANDS.map(([g]) => g);

export const CAPTURE = {
  setLevel(level, { remove = false, domain = this.domain } = {}) {
    const { round, mode, respondent } = this.ui;
    const label = `${this.domainName(domain)}, ${this.roundLabel(round)}`;
    if (level !== null && level !== 'unsure') this.lastLevel.set(domain.id, level);
    if (mode === 'agreed') {
      if (level === 'unsure') level = null;
      if (this.agreedOf(round, domain.id) === level) return;
      this.edit({ op: 'set_agreed', round, domain: domain.id, level },
        level === null ? `${label}: no agreed level` : `${label}: agreed level ${level}, ${this.levelLabel(level)}`);
    } else if (mode === 'tally') {
      const group = this.handsGroup;
      const whose = group === 'other' ? (this.ui.handsGroup ? 'others' : '') : groupLabel(group).toLowerCase();
      const t = this.tallyOf(round, domain.id, group);
      const counts = t ? [...t.counts] : this.fw.levels.map(() => 0);
      let unsure = t?.unsure ?? 0;
      let what;
      if (level === null) {
        counts.fill(0);
        unsure = 0;
        what = whose ? `${whose} hands cleared` : 'hands cleared';
      } else if (level === 'unsure') {
        if (remove && unsure === 0) return;
        unsure += remove ? -1 : 1;
        what = `${unsure} unsure`;
      } else {
        if (remove && counts[level - 1] === 0) return;
        counts[level - 1] += remove ? -1 : 1;
        // While results are hidden the room must not hear the spread either.
        what = this.ui.reveal ? `${counts[level - 1]} ${counts[level - 1] === 1 ? 'hand' : 'hands'} at level ${level}` : (remove ? 'a hand taken away' : 'a hand counted');
      }
      this.setTally(domain, counts, unsure, group, `${label}${whose ? `, ${whose}` : ''}: ${what}`);
    } else {
      if (!respondent) {
        this.startPerson('Add a person first: each rating belongs to one person. Type their initials, then Enter.');
        return;
      }
      if (this.ratingOf(round, respondent, domain.id) === level) return;
      const said = level === null ? 'no rating' : level === 'unsure' ? 'unsure' : `level ${level}, ${this.levelLabel(level)}`;
      this.edit({ op: 'set_rating', round, respondent, domain: domain.id, level }, `${label}, ${respondent}: ${said}`);
    }
  },

  setTally(domain, counts, unsure, group = this.handsGroup, message = `${this.domainName(domain)}: hands updated`) {
    this.edit({ op: 'set_tally', round: this.ui.round, domain: domain.id, group, counts, unsure }, message);
  },

  /** A number key: a level, or a hand at that level; Shift takes a hand away. */
  levelKey(digit, remove) {
    const level = digit === 0 ? 10 : digit;
    if (level > this.fw.levels.length) {
      this.announce(`This scale has levels 1 to ${this.fw.levels.length}`);
      return;
    }
    this.setLevel(level, { remove });
  },

  /** T: the next key sets the target of the domain in focus, independent of its score. */
  startTarget() {
    this.pendingTarget = this.ui.domain;
    this.announce(`Target for ${this.domainName(this.domain)}: press 1 to ${this.fw.levels.length}, Delete to clear it, Escape to cancel`);
    this.invalidate();
  },

  /** The key after T. True when it was for the target (set, cleared or cancelled). */
  targetKey(e) {
    const d = this.fw.domains[this.pendingTarget];
    this.pendingTarget = null;
    this.invalidate();
    const digit = e.ctrlKey ? null : digitOf(e);
    if (digit !== null) {
      const level = digit === 0 ? 10 : digit;
      if (level > this.fw.levels.length) {
        this.announce(`This scale has levels 1 to ${this.fw.levels.length}; the target is unchanged`);
        return true;
      }
      this.edit({ op: 'set_target', domain: d.id, level }, `${this.domainName(d)}: target level ${level}, ${this.levelLabel(level)}`);
      return true;
    }
    if (['Delete', 'Backspace', 't', 'T'].includes(e.key)) {
      this.edit({ op: 'set_target', domain: d.id, level: null }, `${this.domainName(d)}: target cleared`);
      return true;
    }
    if (e.key === 'Escape') {
      this.announce('Target unchanged');
      return true;
    }
    return false;
  },

  /**
   * Changes how the room is counted. Agreed levels sit beside votes (vote, reveal, discuss,
   * agree), but a show of hands and each person's ratings of the same round count the same
   * people: when the round already holds the other kind, the facilitator chooses.
   */
  async chooseMode(mode) {
    const ui = this.ui;
    if (mode === ui.mode) return;
    const name = MODES.find(([m]) => m === mode)[1];
    const other = mode === 'tally' ? 'respondents' : mode === 'respondents' ? 'tally' : null;
    const held = other ? this.heldIn(ui.round, other) : [];
    // A round that holds both already was kept that way by the facilitator: no second question.
    if (held.length && !this.heldIn(ui.round, mode).length) {
      const round = this.roundLabel(ui.round);
      const domains = held.map((d) => this.domainName(d)).join(', ');
      const what = other === 'tally' ? 'a show of hands' : 'each person’s ratings';
      const now = mode === 'tally' ? 'A show of hands' : 'Each person’s ratings';
      const choice = await this.choose('Count the room twice?',
        [`${round} already has ${what} for ${domains}. ${now} would be counted as well, so the same people could be counted twice.`,
          'Keep both if they are different people (say, hands from one table and ratings from another); replace to start again with this way of counting.'],
        [['cancel', `Cancel: keep ${MODES.find(([m]) => m === other)[1].toLowerCase()}`, 'quiet'],
          ['keep', 'Keep both', 'quiet'],
          ['replace', `Replace: clear ${other === 'tally' ? 'the show of hands' : 'each person’s ratings'} in ${round}`, 'danger']]);
      if (choice === 'cancel' || choice === null) {
        this.announce(`Still counting by ${MODES.find(([m]) => m === other)[1].toLowerCase()}`);
        return;
      }
      if (choice === 'replace') {
        const edits = other === 'tally'
          ? this.doc.tallies.filter((t) => t.round === ui.round).map((t) => ({ op: 'set_tally', round: t.round, domain: t.domain, group: t.group, counts: t.counts.map(() => 0), unsure: 0 }))
          // The whole document, read for this one choice: the page keeps no copy of the ratings.
          : this.session.document().ratings.filter((r) => r.round === ui.round && r.respondent).map((r) => ({ op: 'set_rating', round: r.round, respondent: r.respondent, domain: r.domain, level: null }));
        if (!this.editAll(edits, `Cleared ${other === 'tally' ? 'the show of hands' : 'each person’s ratings'} in ${round}`)) return;
      }
    }
    this.announce(`Capture: ${name}`);
    this.setUi({ mode });
  },

  /** The domains of a round that hold hands (`tally`) or people's ratings (`respondents`). */
  heldIn(round, kind) {
    if (kind !== 'tally') {
      const counts = this.ratingCounts(round);
      return this.fw.domains.filter((d, i) => counts[i] > 0);
    }
    const ids = new Set(this.doc.tallies.filter((x) => x.round === round).map((x) => x.domain));
    return this.fw.domains.filter((d) => ids.has(d.id));
  },

  /** G: whose hands are counted next; with each person, the current person's group. */
  cycleGroup() {
    const ui = this.ui;
    if (ui.mode === 'tally') {
      const next = HANDS_GROUPS[(HANDS_GROUPS.indexOf(ui.handsGroup) + 1) % HANDS_GROUPS.length];
      this.announce(next === null ? 'Counting the whole room' : `Counting ${next === 'other' ? 'others’' : `${groupLabel(next).toLowerCase()}`} hands`);
      this.setUi({ handsGroup: next });
    } else if (ui.mode === 'respondents' && ui.respondent) {
      const p = this.doc.respondents.find((r) => r.id === ui.respondent);
      const next = GROUPS[(GROUPS.findIndex(([g]) => g === p.group) + 1) % GROUPS.length][0];
      this.edit({ op: 'set_respondent', id: p.id, group: next }, `${p.id}: ${groupLabel(next)}`);
    } else {
      this.announce('G changes whose hands are counted (show of hands) or a person’s group (each person)');
    }
  },

  /** N: to each person, with focus in the new person's initials box. */
  async startPerson(notice) {
    if (this.ui.mode !== 'respondents') {
      await this.chooseMode('respondents');
      if (this.ui.mode !== 'respondents') return;
    }
    if (this.ui.view !== 'score') this.setUi({ view: 'score' });
    this.personNote = notice ?? null;
    this.focusSelector = '[data-k="new-person-id"]';
    this.announce(notice ?? 'New person: type their initials or a code, then Enter');
    // At once, not at the next frame: the initials typed straight after N belong in the box.
    this.render();
  },
};
