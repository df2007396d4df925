import { existsSync } from 'node:fs';
import { GlobalFonts } from '@napi-rs/canvas';

// Fonts come from Debian packages (fonts-noto-core, fonts-noto-cjk, fonts-dejavu-core)
// and are registered by path under our own aliases, so a slide renders the same on
// every machine with those packages instead of depending on whatever fontconfig picks.
interface FontFace {
  alias: string;
  /** Candidate files, best first; the first that exists is used. */
  regular: string[];
  bold: string[];
}

const T = '/usr/share/fonts/truetype';
const O = '/usr/share/fonts/opentype';

const FACES: FontFace[] = [
  {
    alias: 'BlinkEd Sans',
    regular: [`${T}/noto/NotoSans-Regular.ttf`, `${T}/dejavu/DejaVuSans.ttf`],
    bold: [`${T}/noto/NotoSans-Bold.ttf`, `${T}/dejavu/DejaVuSans-Bold.ttf`],
  },
  {
    alias: 'BlinkEd Arabic',
    regular: [`${T}/noto/NotoSansArabic-Regular.ttf`, `${T}/noto/NotoNaskhArabic-Regular.ttf`],
    bold: [`${T}/noto/NotoSansArabic-Bold.ttf`, `${T}/noto/NotoNaskhArabic-Bold.ttf`],
  },
  {
    alias: 'BlinkEd Hebrew',
    regular: [`${T}/noto/NotoSansHebrew-Regular.ttf`],
    bold: [`${T}/noto/NotoSansHebrew-Bold.ttf`],
  },
  {
    alias: 'BlinkEd Devanagari',
    regular: [`${T}/noto/NotoSansDevanagari-Regular.ttf`],
    bold: [`${T}/noto/NotoSansDevanagari-Bold.ttf`],
  },
  {
    alias: 'BlinkEd Bengali',
    regular: [`${T}/noto/NotoSansBengali-Regular.ttf`],
    bold: [`${T}/noto/NotoSansBengali-Bold.ttf`],
  },
  {
    alias: 'BlinkEd Thai',
    regular: [`${T}/noto/NotoSansThai-Regular.ttf`],
    bold: [`${T}/noto/NotoSansThai-Bold.ttf`],
  },
  {
    alias: 'BlinkEd CJK',
    regular: [`${O}/noto/NotoSansCJK-Regular.ttc`, `${T}/noto-cjk/NotoSansCJK-Regular.ttc`],
    bold: [`${O}/noto/NotoSansCJK-Bold.ttc`, `${T}/noto-cjk/NotoSansCJK-Bold.ttc`],
  },
  {
    // Last resort for symbols and scripts the Noto set above lacks.
    alias: 'BlinkEd Fallback',
    regular: [`${T}/dejavu/DejaVuSans.ttf`],
    bold: [`${T}/dejavu/DejaVuSans-Bold.ttf`],
  },
];

export class FontsMissingError extends Error {}

let registered: string[] | undefined;

/**
 * Registers the slide fonts once and returns the CSS font-family list to use.
 * Throws if not even the Latin face is installed: rendering with whatever the system
 * has would silently produce different (or tofu) slides on a fresh machine.
 */
export function ensureFonts(): string[] {
  if (registered) return registered;
  const families: string[] = [];
  for (const face of FACES) {
    const regular = face.regular.find((p) => existsSync(p));
    if (!regular) continue;
    if (!GlobalFonts.registerFromPath(regular, face.alias)) continue;
    const bold = face.bold.find((p) => existsSync(p));
    if (bold) GlobalFonts.registerFromPath(bold, face.alias);
    families.push(face.alias);
  }
  if (!families.includes('BlinkEd Sans')) {
    throw new FontsMissingError(
      `No slide font found (looked for ${FACES[0].regular.join(', ')}). ` +
        'Install the Debian packages fonts-noto-core, fonts-noto-cjk and fonts-dejavu-core.',
    );
  }
  registered = families;
  return families;
}

export function fontString(size: number, bold: boolean, families: string[]): string {
  return `${bold ? 'bold ' : ''}${size}px ${families.map((f) => `"${f}"`).join(', ')}`;
}
