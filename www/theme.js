// Keeps a host page's theme readable. A site themes <cascade-assessment> through the
// --cascade-* custom properties; before the element uses them it measures the colours the
// browser actually resolved (through a hidden probe in the shadow root, so names, var()
// and any colour syntax work) and checks the WCAG contrast of each pair that carries text.
// Colour arithmetic only: nothing here touches ratings.

/** Text colour, background, and the probe property that carries each. */
const PAIRS = [
  ['--cascade-fg', 'color', '--cascade-bg', 'background-color'],
  ['--cascade-muted', 'border-left-color', '--cascade-bg', 'background-color'],
  ['--cascade-accent', 'border-top-color', '--cascade-bg', 'background-color'],
  ['--cascade-accent-fg', 'border-right-color', '--cascade-accent', 'border-top-color'],
];

/** The element's stylesheet: beside the element's modules, or where a page that carries it
 * inside itself (cascade.html, one file opened from disk) says, through useStylesheet(). */
let stylesheet = new URL('./cascade.css', import.meta.url);

/** Its second stylesheet: the styles of what it shows only once asked (cascade-more.css). */
let more = new URL('./cascade-more.css', import.meta.url);

/**
 * Takes the element's stylesheets from `url` and `moreUrl` (data: URLs, say); call before
 * any element starts.
 */
export function useStylesheet(url, moreUrl) {
  stylesheet = new URL(url);
  if (moreUrl) more = new URL(moreUrl);
}

export function stylesheetUrl() {
  return stylesheet;
}

export function moreStylesheetUrl() {
  return more;
}

/** The least contrast body text may have (WCAG 2 AA). */
export const MIN_CONTRAST = 4.5;

let ctx = null;

/**
 * A CSS colour as opaque sRGB bytes, painted over `under` (so transparency counts as what
 * shows through): a 1×1 canvas does the colour parsing and compositing the browser knows.
 */
function paint(css, under) {
  if (!ctx) {
    const canvas = typeof OffscreenCanvas === 'function' ? new OffscreenCanvas(1, 1) : document.createElement('canvas');
    ctx = canvas.getContext('2d', { willReadFrequently: true });
  }
  ctx.globalCompositeOperation = 'copy';
  ctx.fillStyle = under;
  ctx.fillRect(0, 0, 1, 1);
  ctx.globalCompositeOperation = 'source-over';
  ctx.fillStyle = under;
  ctx.fillStyle = css;
  ctx.fillRect(0, 0, 1, 1);
  const [r, g, b] = ctx.getImageData(0, 0, 1, 1).data;
  return [r, g, b];
}

function luminance([r, g, b]) {
  const lin = (c) => {
    const s = c / 255;
    return s <= 0.04045 ? s / 12.92 : ((s + 0.055) / 1.055) ** 2.4;
  };
  return 0.2126 * lin(r) + 0.7152 * lin(g) + 0.0722 * lin(b);
}

/** The WCAG 2 contrast ratio of two opaque colours, from 1 to 21. */
export function contrast(a, b) {
  const [hi, lo] = [luminance(a), luminance(b)].sort((x, y) => y - x);
  return (hi + 0.05) / (lo + 0.05);
}

const hex = (rgb) => `#${rgb.map((c) => c.toString(16).padStart(2, '0')).join('')}`;

/**
 * The pairs of the theme that fall below 4.5:1, as readable sentences (empty when the
 * theme is fine). `probe` is an element whose stylesheet maps each custom property to a
 * colour property (see .theme-probe in cascade.css).
 */
export function themeProblems(probe) {
  if (!probe?.isConnected) return [];
  let style;
  try {
    style = getComputedStyle(probe);
  } catch {
    return [];
  }
  const problems = [];
  const resolved = new Map();
  // Backgrounds are taken to sit on white: the page behind a transparent one is unknown.
  const colour = (name, prop, under) => {
    if (!resolved.has(name)) resolved.set(name, paint(style.getPropertyValue(prop), under));
    return resolved.get(name);
  };
  for (const [fgName, fgProp, bgName, bgProp] of PAIRS) {
    const bgBase = bgName === '--cascade-bg' ? '#fff' : hex(colour('--cascade-bg', 'background-color', '#fff'));
    const bg = colour(bgName, bgProp, bgBase);
    const fg = paint(style.getPropertyValue(fgProp), hex(bg));
    const ratio = contrast(fg, bg);
    if (ratio < MIN_CONTRAST) {
      problems.push(`${fgName} (${hex(fg)}) on ${bgName} (${hex(bg)}) has a contrast of ${ratio.toFixed(2)}:1`);
    }
  }
  return problems;
}
