// Stands in for Next.js's `server-only` marker when server modules run under vitest.
export {};
