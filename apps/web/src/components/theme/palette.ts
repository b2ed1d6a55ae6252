import type { Theme } from './theme';

/**
 * Colours for what CSS cannot reach: cytoscape's canvas and recharts' SVG strokes. They match the CSS variables
 * in globals.css and keep at least 3:1 against their theme's surface.
 */
export interface Palette {
  surface: string;
  surfaceMuted: string;
  border: string;
  text: string;
  textMuted: string;
  accent: string;
  health: { healthy: string; degraded: string; failing: string; idle: string };
  /** Line colours for chart series, by tone. */
  tones: { blue: string; green: string; orange: string; red: string; purple: string };
  grid: string;
}

const LIGHT: Palette = {
  surface: '#ffffff',
  surfaceMuted: '#f0f2f5',
  border: '#c9ced6',
  text: '#1b1f24',
  textMuted: '#5b6470',
  accent: '#2563c9',
  health: { healthy: '#18794e', degraded: '#b35c00', failing: '#c62a2f', idle: '#7b8490' },
  tones: { blue: '#2563c9', green: '#18794e', orange: '#c25e00', red: '#c62a2f', purple: '#7c3aed' },
  grid: '#e3e6ea',
};

const DARK: Palette = {
  surface: '#181c21',
  surfaceMuted: '#20252b',
  border: '#3a424c',
  text: '#e6e9ee',
  textMuted: '#9aa4af',
  accent: '#6ea1ff',
  health: { healthy: '#4cc38a', degraded: '#f0a04b', failing: '#ff6b6b', idle: '#8792a0' },
  tones: { blue: '#6ea1ff', green: '#4cc38a', orange: '#f0a04b', red: '#ff6b6b', purple: '#b794f6' },
  grid: '#2a3037',
};

export function palette(theme: Theme): Palette {
  return theme === 'dark' ? DARK : LIGHT;
}

export type Tone = keyof Palette['tones'];
