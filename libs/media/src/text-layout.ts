// Pure slide layout: which font sizes, which lines, where. It never touches canvas;
// the caller passes a measure function, so tests can check the maths with any font.

export interface FontSpec {
  size: number;
  bold: boolean;
}
export type MeasureText = (text: string, font: FontSpec) => number;

export interface LayoutBox {
  width: number;
  height: number;
}

export interface LayoutOptions {
  titleMaxSize: number;
  titleMinSize: number;
  titleMaxLines: number;
  bulletMaxSize: number;
  bulletMinSize: number;
  /** Line height as a multiple of font size. */
  lineHeight: number;
  /** Gap between title and bullets, and between bullets, as multiples of bullet size. */
  titleGap: number;
  bulletGap: number;
  /** Horizontal room taken by the bullet marker, as a multiple of bullet size. */
  bulletIndent: number;
}

export interface LaidOutLine {
  text: string;
  /** Top of the line box, relative to the layout box. */
  y: number;
  /** Left offset of the text inside the box (bullets are indented). */
  x: number;
  width: number;
  font: FontSpec;
  /** True for the first line of a bullet: the renderer draws the marker there. */
  bulletStart: boolean;
  kind: 'title' | 'bullet';
}

export interface SlideLayout {
  titleSize: number;
  bulletSize: number;
  lines: LaidOutLine[];
  /** Height actually used, always <= box.height. */
  height: number;
  /** Bullets that did not fit even at the smallest size and were dropped. */
  droppedBullets: number;
}

const segmenter = new Intl.Segmenter(undefined, { granularity: 'grapheme' });
const graphemes = (s: string): string[] => Array.from(segmenter.segment(s), (g) => g.segment);

// Scripts written without spaces: a line may break between any two characters.
const NO_SPACE_SCRIPT = /[\p{Script=Han}\p{Script=Hiragana}\p{Script=Katakana}\p{Script=Thai}\p{Script=Lao}\p{Script=Khmer}\p{Script=Myanmar}]/u;

/** Splits text into the smallest pieces a line may break between, keeping spaces attached. */
export function breakOpportunities(text: string): string[] {
  const pieces: string[] = [];
  for (const word of text.split(/(?<=\s)/u)) {
    if (!NO_SPACE_SCRIPT.test(word)) {
      pieces.push(word);
      continue;
    }
    let run = '';
    for (const g of graphemes(word)) {
      if (NO_SPACE_SCRIPT.test(g)) {
        if (run) pieces.push(run);
        pieces.push(g);
        run = '';
      } else {
        run += g;
      }
    }
    if (run) pieces.push(run);
  }
  // Punctuation must not start a line (CJK kinsoku, roughly): glue it to the previous piece.
  const glued: string[] = [];
  for (const p of pieces) {
    if (glued.length > 0 && /^[、。，．！？：；）」』】〉》,.!?:;)\]]/u.test(p)) glued[glued.length - 1] += p;
    else glued.push(p);
  }
  return glued;
}

/**
 * Greedy wrap of `text` into lines no wider than maxWidth. A piece wider than a
 * whole line (a long URL, a German compound) is cut between graphemes.
 */
export function wrapText(text: string, maxWidth: number, font: FontSpec, measure: MeasureText): string[] {
  const lines: string[] = [];
  let line = '';
  const fits = (s: string) => measure(s.trimEnd(), font) <= maxWidth;
  for (const piece of breakOpportunities(text.replace(/\s+/gu, ' ').trim())) {
    if (fits(line + piece)) {
      line += piece;
      continue;
    }
    if (line.trim()) lines.push(line.trimEnd());
    line = '';
    if (fits(piece)) {
      line = piece.trimStart();
      continue;
    }
    for (const g of graphemes(piece)) {
      if (line && !fits(line + g)) {
        lines.push(line.trimEnd());
        line = '';
      }
      line += g;
    }
  }
  if (line.trim()) lines.push(line.trimEnd());
  return lines;
}

interface Block {
  lines: string[];
  height: number;
}

function layoutTitle(title: string, box: LayoutBox, size: number, o: LayoutOptions, m: MeasureText): Block {
  const lines = wrapText(title, box.width, { size, bold: true }, m);
  return { lines, height: lines.length * size * o.lineHeight };
}

function layoutBullets(bullets: string[], box: LayoutBox, size: number, o: LayoutOptions, m: MeasureText) {
  const indent = size * o.bulletIndent;
  const wrapped = bullets.map((b) => wrapText(b, box.width - indent, { size, bold: false }, m));
  const heights = wrapped.map((l) => l.length * size * o.lineHeight);
  const height = heights.reduce((a, b) => a + b, 0) + Math.max(0, bullets.length - 1) * size * o.bulletGap;
  return { wrapped, heights, height, indent };
}

/** Largest integer size in [min, max] for which ok(size) holds, or undefined. Assumes monotonic fit. */
function largest(min: number, max: number, ok: (size: number) => boolean): number | undefined {
  let lo = Math.ceil(min);
  let hi = Math.floor(max);
  if (!ok(lo)) return undefined;
  while (lo < hi) {
    const mid = Math.ceil((lo + hi) / 2);
    if (ok(mid)) lo = mid;
    else hi = mid - 1;
  }
  return lo;
}

/**
 * Lays out a title and bullets inside box: the title first gets the largest size that
 * fits in titleMaxLines, the bullets the largest size that fits in what is left. If the
 * bullets do not fit even at their minimum, the title shrinks to its minimum; if they
 * still do not fit, trailing bullets are dropped and an ellipsis line says so. Every
 * returned line is no wider than the box and the whole is no taller.
 */
export function layoutSlide(title: string, bullets: string[], box: LayoutBox, o: LayoutOptions, measure: MeasureText): SlideLayout {
  const items = bullets.map((b) => b.trim()).filter(Boolean);
  const titleFits = (s: number) => {
    const t = layoutTitle(title, box, s, o, measure);
    return t.lines.length <= o.titleMaxLines && t.height <= box.height / 2;
  };
  // A title that cannot fit in titleMaxLines even at min size still gets min size and wraps on.
  let titleSize = largest(o.titleMinSize, o.titleMaxSize, titleFits) ?? o.titleMinSize;

  const fitsWith = (list: string[], tSize: number, s: number) =>
    layoutTitle(title, box, tSize, o, measure).height + (list.length ? s * o.titleGap : 0) + layoutBullets(list, box, s, o, measure).height <= box.height;
  const bulletFits = (tSize: number) => (s: number) => fitsWith(items, tSize, s);
  const bulletMax = Math.min(o.bulletMaxSize, Math.max(o.bulletMinSize, titleSize * 0.8));
  let bulletSize = items.length ? largest(o.bulletMinSize, bulletMax, bulletFits(titleSize)) : o.bulletMaxSize;
  if (bulletSize === undefined) {
    titleSize = o.titleMinSize;
    bulletSize = largest(o.bulletMinSize, Math.min(bulletMax, titleSize), bulletFits(titleSize));
  }
  let kept = items;
  let dropped = 0;
  if (bulletSize === undefined) {
    bulletSize = o.bulletMinSize;
    // Keep as many leading bullets as fit, plus an ellipsis line saying there was more.
    let lo = 0;
    let hi = items.length - 1;
    while (lo < hi) {
      const mid = Math.ceil((lo + hi) / 2);
      if (fitsWith([...items.slice(0, mid), '…'], titleSize, bulletSize)) lo = mid;
      else hi = mid - 1;
    }
    kept = fitsWith([...items.slice(0, lo), '…'], titleSize, bulletSize) ? [...items.slice(0, lo), '…'] : [];
    dropped = items.length - lo;
  }

  const lines: LaidOutLine[] = [];
  let y = 0;
  const tFont = { size: titleSize, bold: true };
  const t = layoutTitle(title, box, titleSize, o, measure);
  for (const text of t.lines) {
    lines.push({ text, x: 0, y, width: measure(text, tFont), font: tFont, bulletStart: false, kind: 'title' });
    y += titleSize * o.lineHeight;
  }
  // Only the title could still overflow (a huge unbreakable title at min size): clip lines, never pixels.
  while (y > box.height && lines.length > 1) {
    lines.pop();
    y -= titleSize * o.lineHeight;
  }
  if (kept.length) {
    y += bulletSize * o.titleGap;
    const bFont = { size: bulletSize, bold: false };
    const b = layoutBullets(kept, box, bulletSize, o, measure);
    b.wrapped.forEach((wrapped, i) => {
      if (i > 0) y += bulletSize! * o.bulletGap;
      wrapped.forEach((text, j) => {
        lines.push({ text, x: b.indent, y, width: measure(text, bFont), font: bFont, bulletStart: j === 0, kind: 'bullet' });
        y += bulletSize! * o.lineHeight;
      });
    });
  }
  return { titleSize, bulletSize, lines, height: y, droppedBullets: dropped };
}
