// Helpers for the projector and phone layout tests: a realistic workshop document, and
// measurements of what a room sees (the smallest text on screen, SVG text as drawn, what
// is in the viewport).

const DOMAINS = ['clarity', 'contact', 'structures', 'outcomes', 'learning', 'integration', 'evidence'];
const GROUPS = ['education', 'education', 'mental-health', 'education', 'mental-health', 'local-authority', 'education', 'mental-health'];

/** Eight people rated every domain at both workshops, one domain has hands, targets and actions. */
export function workshopDocument(area = 'Northfield and Vale') {
  const people = GROUPS.map((group, i) => ({ id: `P${i + 1}`, group }));
  const ratings = [];
  for (const [ri, round] of ['baseline', 'followup'].entries()) {
    for (const [di, domain] of DOMAINS.entries()) {
      for (const [pi, p] of people.entries()) {
        const level = pi === 7 && di === 3 ? 'unsure' : 1 + ((pi * 3 + di * 2 + ri * 2 + (p.group === 'education' ? 0 : 1)) % 5);
        ratings.push({ round, respondent: p.id, group: p.group, domain, level });
      }
    }
  }
  return {
    schema_version: 1,
    framework: { id: 'cascade', version: '1' },
    area,
    rounds: [{ id: 'baseline', label: 'Baseline', date: '2026-01-15' }, { id: 'followup', label: 'Follow-up', date: '2026-03-05' }],
    respondents: people,
    ratings,
    tallies: [{ round: 'baseline', domain: 'evidence', group: 'other', counts: [3, 3, 3, 2, 2], unsure: 1 }],
    agreed: [{ round: 'baseline', domain: 'contact', level: 2 }, { round: 'followup', domain: 'contact', level: 3 }],
    targets: [{ domain: 'clarity', level: 4 }, { domain: 'contact', level: 4 }],
    notes: [{ domain: 'clarity', text: 'Roles are written down but not used the same way in every school.' }],
    actions: [
      { domain: 'clarity', action: 'Share a one-page map of who does what', owner: 'CAMHS link lead and the designated senior mental health leads', due: '2026-06-30' },
      { domain: 'contact', action: 'Name a contact in every school', owner: 'Local authority', due: '2026-05-01' },
    ],
  };
}

/** Loads a document into the element, as an import would. */
export async function useDocument(page, doc) {
  await page.evaluate(async (d) => {
    const host = document.querySelector('cascade-assessment');
    await host.ready;
    host.setDocument(d);
  }, doc);
}

/**
 * Every piece of text a viewer sees inside the element: each visible text node (HTML or SVG),
 * with its font size as drawn in CSS px (SVG text: its font size times the scale the chart is
 * drawn at), where it is, and whether it lies in the viewport.
 */
export async function visibleText(page, { inViewport = false } = {}) {
  return page.evaluate((inViewport) => {
    const root = document.querySelector('cascade-assessment').shadowRoot;
    const out = [];
    const walk = (node) => {
      for (const c of node.childNodes) {
        if (c.nodeType === 3) {
          if (!c.nodeValue.trim()) continue;
          const el = c.parentElement;
          if (!el || el.closest('title, desc, style, script, option, .report')) continue;
          const range = document.createRange();
          range.selectNodeContents(c);
          const rects = [...range.getClientRects()].filter((r) => r.width > 0.5 && r.height > 0.5);
          if (!rects.length) continue;
          const cs = getComputedStyle(el);
          if (cs.visibility === 'hidden' || Number(cs.opacity) === 0) continue;
          // The visually-hidden pattern: clipped to nothing, for screen readers only.
          let hidden = false;
          for (let a = el; a; a = a.parentElement) {
            const s = getComputedStyle(a);
            if (s.clipPath === 'inset(50%)' || (s.position === 'absolute' && a.getBoundingClientRect().width <= 1)) { hidden = true; break; }
          }
          if (hidden) continue;
          let px = parseFloat(cs.fontSize);
          const svgText = el.closest('svg text');
          if (svgText) {
            const m = svgText.getScreenCTM();
            px *= Math.sqrt(Math.abs(m.a * m.d - m.b * m.c));
          }
          const r = rects[0];
          const onScreen = r.bottom > 0 && r.top < innerHeight && r.right > 0 && r.left < innerWidth;
          if (inViewport && !onScreen) continue;
          out.push({ text: c.nodeValue.trim().slice(0, 40), px: Math.round(px * 100) / 100, svg: Boolean(svgText), top: Math.round(r.top), bottom: Math.round(r.bottom), tag: el.tagName.toLowerCase(), cls: String(el.className?.baseVal ?? el.className ?? '') });
        } else if (c.nodeType === 1) {
          walk(c);
        }
      }
    };
    walk(root);
    return out;
  }, inViewport);
}

/** The smallest text among them, and the few smallest, for messages. */
export function smallest(texts, filter = () => true) {
  const list = texts.filter(filter).sort((a, b) => a.px - b.px);
  return { px: list[0]?.px ?? Infinity, worst: list.slice(0, 5).map((t) => `${t.px}px ${t.svg ? 'svg ' : ''}<${t.tag} class="${t.cls}"> "${t.text}"`) };
}

/** Whether a part is wholly inside the viewport, by its box. */
export async function onScreen(page, selector) {
  return page.evaluate((sel) => {
    const els = [...document.querySelector('cascade-assessment').shadowRoot.querySelectorAll(sel)].filter((e) => e.getClientRects().length);
    if (!els.length) return { found: false };
    const boxes = els.map((e) => e.getBoundingClientRect());
    const top = Math.min(...boxes.map((b) => b.top));
    const bottom = Math.max(...boxes.map((b) => b.bottom));
    return { found: true, top: Math.round(top), bottom: Math.round(bottom), inside: top >= -1 && bottom <= innerHeight + 1 };
  }, selector);
}
