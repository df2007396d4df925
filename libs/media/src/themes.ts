import { THEME_NAMES, type ThemeName } from '@app/common';

export { THEME_NAMES, type ThemeName };

export interface Theme {
  /** Two stops of a diagonal background gradient. */
  background: [string, string];
  title: string;
  text: string;
  accent: string;
  /** Deck title and slide counter. */
  muted: string;
  /** Soft panel behind the content; null for none. */
  panel: string | null;
}

export const THEMES = {
  light: {
    background: ['#fbfbfd', '#eef1f7'],
    title: '#14213d',
    text: '#2b2d42',
    accent: '#3a86ff',
    muted: '#6c757d',
    panel: null,
  },
  dark: {
    background: ['#0f172a', '#1e293b'],
    title: '#f8fafc',
    text: '#cbd5e1',
    accent: '#38bdf8',
    muted: '#94a3b8',
    panel: null,
  },
  ocean: {
    background: ['#023e8a', '#0077b6'],
    title: '#ffffff',
    text: '#e0f2fe',
    accent: '#90e0ef',
    muted: '#b8e1f5',
    panel: 'rgba(255,255,255,0.06)',
  },
  sunset: {
    background: ['#fff1e6', '#ffd6c0'],
    title: '#6a040f',
    text: '#3d0c02',
    accent: '#e85d04',
    muted: '#9d4e3a',
    panel: 'rgba(255,255,255,0.45)',
  },
  forest: {
    background: ['#f1f7ed', '#dbe9d3'],
    title: '#1b4332',
    text: '#2d3a2e',
    accent: '#40916c',
    muted: '#52796f',
    panel: null,
  },
} satisfies Record<ThemeName, Theme>;

export function getTheme(name: string | undefined): Theme {
  return (THEMES as Record<string, Theme>)[name ?? ''] ?? THEMES.light;
}
