/** What an installed espeak-ng can speak, read from `espeak-ng --voices` and `--voices=variant`. */
export interface EspeakVoiceCatalog {
  /** Lower-cased names `-v` accepts: language ids, their aliases, voice file paths. */
  readonly voices: ReadonlySet<string>;
  /** Variant file names (the part after `+`), case as on disk: the lookup is case-sensitive. */
  readonly variants: ReadonlySet<string>;
}

/**
 * Parses the table `espeak-ng --voices` prints:
 * ` 5  cmn  --/M  Chinese_(Mandarin,_latin_as_English)  sit/cmn  (zh-cmn 5)(zh 5)`.
 */
export function parseVoiceTable(voicesOutput: string, variantsOutput = ''): EspeakVoiceCatalog {
  const voices = new Set<string>();
  for (const line of voicesOutput.split('\n').slice(1)) {
    const cols = line.trim().split(/\s+/);
    if (cols.length < 5 || !/^\d+$/.test(cols[0]!)) continue;
    voices.add(cols[1]!.toLowerCase());
    voices.add(cols[4]!.toLowerCase());
    for (const m of line.matchAll(/\(([^\s()]+) \d+\)/g)) voices.add(m[1]!.toLowerCase());
  }
  const variants = new Set<string>();
  for (const line of variantsOutput.split('\n').slice(1)) {
    const file = line.trim().split(/\s+/)[4];
    if (file?.startsWith('!v/')) variants.add(file.slice(3));
  }
  return { voices, variants };
}

/**
 * BCP-47 tags whose espeak-ng name is not the tag itself: Chinese is split by spoken
 * language (Mandarin, Cantonese), not by region; a few legacy and macro-language codes.
 */
const LANGUAGE_OVERRIDES: Readonly<Record<string, string>> = {
  zh: 'cmn',
  'zh-cn': 'cmn',
  'zh-sg': 'cmn',
  'zh-tw': 'cmn',
  'zh-hans': 'cmn',
  'zh-hant': 'cmn',
  'zh-hk': 'yue',
  'zh-mo': 'yue',
  'zh-yue': 'yue',
  no: 'nb',
  iw: 'he',
  in: 'id',
  'es-ar': 'es-419',
  'es-cl': 'es-419',
  'es-co': 'es-419',
  'es-pe': 'es-419',
  'es-ve': 'es-419',
  'es-us': 'es-419',
};

const TAG = /^[a-z]{2,3}(?:-[a-z0-9]{1,8})*$/;

/**
 * The espeak-ng voice for a BCP-47 tag, or undefined when none fits. Tries the whole tag,
 * then without its script, then drops subtags from the right (zh-Hant-HK → zh-HK →
 * zh-Hant → zh); a region that only repeats the language (fr-FR, de-DE) means the base voice.
 */
export function voiceForLanguage(language: string, catalog: EspeakVoiceCatalog): string | undefined {
  const tag = language.trim().replace(/_/g, '-').toLowerCase();
  if (!TAG.test(tag)) return undefined;
  const parts = tag.split('-');
  if (parts.length === 2 && parts[0] === parts[1]) parts.pop();
  const scriptless = parts.filter((p, i) => i === 0 || p.length !== 4);

  // The region decides before the script does: zh-Hant-HK is Cantonese, zh-Hant alone Mandarin.
  const candidates = [parts.join('-'), scriptless.join('-')];
  for (let n = parts.length - 1; n >= 1; n--) candidates.push(parts.slice(0, n).join('-'));
  for (const candidate of candidates) {
    const voice = LANGUAGE_OVERRIDES[candidate] ?? candidate;
    if (catalog.voices.has(voice)) return voice;
  }
  return undefined;
}

/** A user-chosen voice (`en-us`, `roa/fr`, `en-us+f3`) exists in the catalog. */
export function isKnownVoice(voice: string, catalog: EspeakVoiceCatalog): boolean {
  const [name, variant, ...rest] = voice.split('+');
  if (rest.length > 0 || !name || !catalog.voices.has(name.toLowerCase())) return false;
  return variant === undefined || catalog.variants.has(variant);
}
