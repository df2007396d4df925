import { readFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';

/** One icon of a set: `tabler:leaf` is drawn from `dir/leaf.svg`. */
export interface IconRef {
  set: 'tabler' | 'lucide';
  name: string;
  file: string;
}

/** How a keyword found its icon, best first; `default` means nothing matched. */
export type IconMatchStep = 'name' | 'tag' | 'stem' | 'category' | 'default';

/**
 * Lookup tables over both sets, built once from their tag data (about 2.4 MB of JSON,
 * 0.5-0.8 s measured on a busy machine): the worker starts building it when it starts
 * (SlidePictureService), else the first picture does; then kept for the life of the process.
 */
export interface IconIndex {
  version: string;
  names: Map<string, IconRef>;
  tags: Map<string, IconRef[]>;
  stems: Map<string, IconRef[]>;
  categories: Map<string, IconRef>;
  fallback: IconRef;
}

/** Tabler categories too abstract to stand for a topic (a "System" icon says nothing about the slide). */
const VAGUE_CATEGORIES = new Set(['text', 'system', 'letters', 'numbers', 'arrows', 'shapes', 'brand', 'extensions', 'badges', 'logic', 'design']);
/** An icon that fits any teaching slide, for when no keyword matched. */
const FALLBACK = 'bulb';

let cached: Promise<IconIndex> | undefined;

export function iconIndex(): Promise<IconIndex> {
  cached ??= buildIndex().catch((error: unknown) => {
    cached = undefined; // a failed read is retried on the next picture rather than remembered
    throw error;
  });
  return cached;
}

interface TablerEntry {
  name: string;
  category?: string;
  tags?: (string | number)[];
  styles?: { outline?: unknown };
}

async function buildIndex(): Promise<IconIndex> {
  const require = createRequire(import.meta.url);
  const tablerDir = dirname(require.resolve('@tabler/icons/package.json'));
  const lucideDir = dirname(require.resolve('lucide-static/package.json'));
  const [tablerJson, lucideJson, tablerPkg, lucidePkg] = await Promise.all([
    readFile(join(tablerDir, 'icons.json'), 'utf8'),
    readFile(join(lucideDir, 'tags.json'), 'utf8'),
    readFile(join(tablerDir, 'package.json'), 'utf8'),
    readFile(join(lucideDir, 'package.json'), 'utf8'),
  ]);
  const tabler = JSON.parse(tablerJson) as Record<string, TablerEntry>;
  const lucide = JSON.parse(lucideJson) as Record<string, string[]>;

  const index: IconIndex = {
    version: `tabler-${(JSON.parse(tablerPkg) as { version: string }).version}+lucide-${(JSON.parse(lucidePkg) as { version: string }).version}`,
    names: new Map(),
    tags: new Map(),
    stems: new Map(),
    categories: new Map(),
    fallback: { set: 'tabler', name: FALLBACK, file: join(tablerDir, 'icons', 'outline', `${FALLBACK}.svg`) },
  };
  const add = (ref: IconRef, tags: string[], category?: string) => {
    // Crossed-out variants ("leaf-off") show the opposite of the word.
    if (ref.name.endsWith('-off')) return;
    if (!index.names.has(ref.name)) index.names.set(ref.name, ref);
    const words = ref.name.split('-').filter((w) => !/^\d+$/.test(w));
    for (const tag of [...tags.map((t) => normaliseTerm(t)), ...words]) push(index.tags, tag, ref);
    for (const term of [ref.name, ...words, ...tags.map((t) => normaliseTerm(t))]) push(index.stems, stem(term), ref);
    if (category && !VAGUE_CATEGORIES.has(category.toLowerCase())) {
      const key = stem(normaliseTerm(category));
      const current = index.categories.get(key);
      if (!current || ref.name.length < current.name.length) index.categories.set(key, ref);
    }
  };
  // Tabler first: the larger set, so on equal terms its icon wins and pictures look alike.
  for (const entry of Object.values(tabler)) {
    // Brand logos are trademarks, not pictures of a topic.
    if (!entry.styles?.outline || entry.category === 'Brand' || entry.name.startsWith('brand-')) continue;
    add(
      { set: 'tabler', name: entry.name, file: join(tablerDir, 'icons', 'outline', `${entry.name}.svg`) },
      (entry.tags ?? []).map(String),
      entry.category,
    );
  }
  for (const [name, tags] of Object.entries(lucide)) {
    add({ set: 'lucide', name, file: join(lucideDir, 'icons', `${name}.svg`) }, tags);
  }
  // Among icons sharing a term, the shortest name is the plainest picture of it ("tree" before "tree-palm").
  for (const map of [index.tags, index.stems]) for (const refs of map.values()) refs.sort(plainestFirst);
  return index;
}

function push(map: Map<string, IconRef[]>, key: string, ref: IconRef): void {
  if (key === '') return;
  const list = map.get(key);
  if (!list) map.set(key, [ref]);
  else if (!list.includes(ref)) list.push(ref);
}

function plainestFirst(a: IconRef, b: IconRef): number {
  return a.name.length - b.name.length || (a.set === b.set ? a.name.localeCompare(b.name) : a.set === 'tabler' ? -1 : 1);
}

/** Lower case, accents kept (they tell languages apart), spaces and underscores as hyphens, as icon names are written. */
export function normaliseTerm(text: string): string {
  return text
    .normalize('NFC')
    .toLocaleLowerCase()
    .trim()
    .replace(/[\s_]+/gu, '-');
}

/**
 * A crude English stem, the same on both sides of the lookup, so "leaves", "leaf" and
 * "leafs" meet, as do "planets"/"planet" and "batteries"/"battery". Consistency matters
 * more than linguistic truth here: both the icon's terms and the keyword go through it.
 */
export function stem(term: string): string {
  let w = singular(term);
  if (!/^[a-z-]+$/.test(w) || w.length <= 3) return w;
  if (w.endsWith('ing') && w.length > 5) w = w.slice(0, -3);
  else if (w.endsWith('ed') && w.length > 4) w = w.slice(0, -2);
  // "running" → "runn" → "run"; "planned" → "plann" → "plan".
  if (/([b-df-hj-np-tv-z])\1$/.test(w) && !/(?:ll|ss|ff|zz)$/.test(w)) w = w.slice(0, -1);
  // "leaf" and "leave" (from "leaves"), "battery" and "batterie": drop a final e or y so they meet.
  return w.length > 3 ? w.replace(/[ey]$/, '') : w;
}

/** An English plural's singular ("leaves" → "leaf", "batteries" → "battery"); other words unchanged. */
export function singular(term: string): string {
  const w = term;
  if (!/^[a-z-]+$/.test(w) || w.length <= 3) return w;
  if (w.endsWith('ies') && w.length > 4) return `${w.slice(0, -3)}y`;
  if (w.endsWith('ves') && w.length > 4) return `${w.slice(0, -3)}f`;
  if (/(?:ss|x|z|ch|sh)es$/.test(w)) return w.slice(0, -2);
  if (w.endsWith('s') && !w.endsWith('ss') && !w.endsWith('us') && !w.endsWith('is')) return w.slice(0, -1);
  return w;
}
