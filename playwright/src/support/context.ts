import { inject } from 'vitest';

declare module 'vitest' {
  export interface ProvidedContext {
    /** The live demo stack's dashboard, started once by global-setup.ts. */
    dashboardUrl: string;
    apiUrl: string;
  }
}

/** The running demo stack's URLs (see global-setup.ts). */
export function demoStack(): { dashboardUrl: string; apiUrl: string } {
  return { dashboardUrl: inject('dashboardUrl'), apiUrl: inject('apiUrl') };
}
