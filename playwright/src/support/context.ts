import { inject } from 'vitest';

declare module 'vitest' {
  export interface ProvidedContext {
    /** The live demo stack's dashboard, started once by global-setup.ts. */
    dashboardUrl: string;
    apiUrl: string;
    /** The stack's tap token (what `meshviz up` puts in its /tap#tap-token= link). */
    tapToken: string;
  }
}

/** The running demo stack's URLs and tap token (see global-setup.ts). */
export function demoStack(): { dashboardUrl: string; apiUrl: string; tapToken: string } {
  return { dashboardUrl: inject('dashboardUrl'), apiUrl: inject('apiUrl'), tapToken: inject('tapToken') };
}
