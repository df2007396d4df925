import { readFile } from 'node:fs/promises';
import { ImageSource, type ImageRequest, type ImageResult } from '../../image-source.port.js';
import { type IconMatchStep, type IconRef, iconIndex, normaliseTerm, singular, stem } from './icon-index.js';

export interface IconMatch {
  ref: IconRef;
  step: IconMatchStep;
  /** The keyword (or part of it) that matched; undefined for the default icon. */
  term?: string;
}

/**
 * Offline pictures: an outline icon from Tabler (MIT) or Lucide (ISC), found by the slide's
 * keywords through their tag data. Always resolves with an icon: when no keyword matches,
 * a generic one, so a slide never goes without a picture. The SVG strokes in currentColor
 * and the renderer recolours it with the theme's accent.
 *
 * Not cached in generation_cache (`cacheable` false): a lookup is a few map reads and one
 * small file read, cheaper than the cache's lock and row, and no one is billed for it.
 */
export class IconsImageSource extends ImageSource {
  readonly provider = 'icons';
  /** The sets' versions are only known once the index is read; they name the catalogue in `source` anyway. */
  readonly model = 'tabler+lucide';
  override readonly cacheable = false;

  /**
   * Builds the tag index now (0.5-0.8 s of JSON parsing measured, once per process) so that
   * the first slide of the first video does not wait for it.
   */
  async prepare(): Promise<void> {
    await iconIndex();
  }

  async find(request: ImageRequest): Promise<ImageResult> {
    request.signal?.throwIfAborted();
    const { ref } = await this.match(request.keywords);
    const svg = await readFile(ref.file, 'utf8');
    return { kind: 'icon', data: Buffer.from(cleanSvg(svg)), mime: 'image/svg+xml', source: `${ref.set}:${ref.name}`, attribution: null };
  }

  /**
   * The fallback chain, each step tried on every keyword (most specific first) before the
   * next, looser step: an exact icon name on the third keyword beats a stem on the first.
   */
  async match(keywords: readonly string[]): Promise<IconMatch> {
    const index = await iconIndex();
    const terms = keywords.flatMap(candidateTerms);
    const steps: [Exclude<IconMatchStep, 'default'>, (term: string) => IconRef | undefined][] = [
      ['name', (t) => index.names.get(t) ?? index.names.get(singular(t))],
      ['tag', (t) => index.tags.get(t)?.[0]],
      ['stem', (t) => index.stems.get(stem(t))?.[0]],
      ['category', (t) => index.categories.get(stem(t))],
    ];
    for (const [step, lookup] of steps) {
      for (const term of terms) {
        const ref = lookup(term);
        if (ref) return { ref, step, term };
      }
    }
    return { ref: index.fallback, step: 'default' };
  }
}

/** "Solar panels" → `solar-panels`, then each word, the last (the head noun in English) first. */
function candidateTerms(keyword: string): string[] {
  const whole = normaliseTerm(keyword);
  const words = whole.split('-').filter((w) => w !== '');
  return words.length > 1 ? [whole, ...words.reverse()] : [whole];
}

/** The icon alone: Lucide's licence comment and whitespace between tags are not part of the picture. */
function cleanSvg(svg: string): string {
  return svg
    .replace(/<!--[\s\S]*?-->/g, '')
    .replace(/>\s+</g, '><')
    .trim();
}
