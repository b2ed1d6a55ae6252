/** The two themes; the page follows the system's choice until the user picks one, which localStorage keeps. */
export type Theme = 'light' | 'dark';

export const THEME_STORAGE_KEY = 'meshviz-theme';
export const THEME_ATTRIBUTE = 'data-theme';

/**
 * Runs before the first paint (inline in <head>), so a dark page never flashes light: it sets data-theme on <html>
 * from the stored choice, else from prefers-color-scheme. Kept tiny and free of imports on purpose.
 */
export const THEME_SCRIPT = `(function(){try{var s=localStorage.getItem('${THEME_STORAGE_KEY}');var t=s==='light'||s==='dark'?s:(matchMedia('(prefers-color-scheme: dark)').matches?'dark':'light');document.documentElement.setAttribute('${THEME_ATTRIBUTE}',t)}catch(e){}})();`;

export function storedTheme(): Theme | null {
  try {
    const value = localStorage.getItem(THEME_STORAGE_KEY);
    return value === 'light' || value === 'dark' ? value : null;
  } catch {
    return null;
  }
}

export function systemTheme(): Theme {
  return window.matchMedia('(prefers-color-scheme: dark)').matches ? 'dark' : 'light';
}

export function applyTheme(theme: Theme): void {
  document.documentElement.setAttribute(THEME_ATTRIBUTE, theme);
}

/** The user's explicit choice: applied now and kept for the next visit. */
export function chooseTheme(theme: Theme): void {
  try {
    localStorage.setItem(THEME_STORAGE_KEY, theme);
  } catch {
    // Private mode or storage full: the choice still holds for this page.
  }
  applyTheme(theme);
}
