import { IconsImageSource } from './icons.image-source.js';
import { singular, stem } from './icon-index.js';

const icons = new IconsImageSource();
const request = (keywords: string[], language = 'en-US') => ({ keywords, prompt: keywords.join(', '), aspectRatio: '16:9' as const, language });

/** Words a slide about a school topic typically asks a picture for. */
const TYPICAL = [
  'photosynthesis',
  'leaves',
  'volcano',
  'planets',
  'economy',
  'democracy',
  'battery',
  'electricity',
  'water',
  'history',
  'recipe',
  'heart',
  'brain',
  'computer',
  'money',
  'rocket',
  'ocean',
  'music',
  'mountains',
  'mathematics',
];

describe('IconsImageSource', () => {
  it('finds a real (non-default) icon for at least 17 of 20 typical slide words', async () => {
    const steps = await Promise.all(TYPICAL.map(async (w) => [w, (await icons.match([w])).step] as const));
    const misses = steps.filter(([, step]) => step === 'default').map(([w]) => w);
    // Measured: 18 of 20 (photosynthesis and democracy have no icon and no tag).
    expect(misses).toEqual(['photosynthesis', 'democracy']);
  });

  it('walks the fallback chain: exact name, then tag, then stem, then category', async () => {
    expect(await icons.match(['rocket'])).toMatchObject({ step: 'name', ref: { set: 'tabler', name: 'rocket' } });
    expect(await icons.match(['planets'])).toMatchObject({ step: 'name', ref: { name: 'planet' } });
    expect(await icons.match(['Leaves'])).toMatchObject({ step: 'name', ref: { name: 'leaf' } });
    expect(await icons.match(['money'])).toMatchObject({ step: 'tag', term: 'money' });
    expect((await icons.match(['photosynthesis', 'zzzz', 'weathers'])).step).not.toBe('default');
    expect(await icons.match(['animals'])).toMatchObject({ step: expect.stringMatching(/^(tag|stem|category)$/) });
  });

  it('prefers an exact name on a later keyword to a looser match on an earlier one', async () => {
    expect(await icons.match(['economics', 'rocket'])).toMatchObject({ step: 'name', term: 'rocket' });
  });

  it('matches a multi-word keyword as an icon name, else by its words', async () => {
    expect(await icons.match(['solar panel'])).toMatchObject({ step: 'name', ref: { name: 'solar-panel' } });
    expect((await icons.match(['quantum rocket'])).ref.name).toBe('rocket');
  });

  it('never picks crossed-out variants or brand logos', async () => {
    for (const w of ['leaf', 'wifi', 'bell', 'google', 'apple', 'github', 'microphone']) {
      const { ref } = await icons.match([w]);
      expect([w, ref.name.endsWith('-off') || ref.name.startsWith('brand-')]).toEqual([w, false]);
    }
  });

  it('falls back to the default icon, without failing, for words no set knows (other languages included)', async () => {
    for (const keywords of [['光合作用'], ['Wasser', 'Pflanze'], ['fotosíntesis'], ['التمثيل'], ['🐝'], ['x'.repeat(40)]]) {
      const result = await icons.find(request(keywords, 'de'));
      expect([keywords, result.source]).toEqual([keywords, 'tabler:bulb']);
    }
  });

  it('returns the SVG markup stroked in currentColor, with its source and no attribution', async () => {
    const result = await icons.find(request(['volcano']));
    expect(result).toMatchObject({ kind: 'icon', mime: 'image/svg+xml', source: 'tabler:volcano', attribution: null });
    const svg = result.data.toString('utf8');
    expect(svg).toMatch(/^<svg[^>]*stroke="currentColor"/);
    expect(svg).not.toContain('<!--');
    const lucide = await icons.find(request(['computer']));
    expect(lucide.source).toBe('lucide:computer');
    expect(lucide.data.toString('utf8')).toMatch(/^<svg[\s\S]*currentColor[\s\S]*<\/svg>$/);
  });

  it('rejects at once when the request is already cancelled', async () => {
    await expect(icons.find({ ...request(['rocket']), signal: AbortSignal.abort() })).rejects.toMatchObject({ name: 'AbortError' });
  });

  it('stems plural and inflected forms onto the same term', () => {
    expect(['leaves', 'batteries', 'boxes', 'planets', 'glass', 'virus'].map(singular)).toEqual(['leaf', 'battery', 'box', 'planet', 'glass', 'virus']);
    expect(stem('running')).toBe(stem('run'));
    expect(stem('planets')).toBe(stem('planet'));
    expect(stem('光合作用')).toBe('光合作用');
  });
});
