import { existsSync, readFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { processExists } from '@meshviz/runtime';

/** Where `meshviz up` records the running mesh, so other commands find the local API without flags. */
export const CURRENT_FILE = path.join(os.homedir(), '.meshviz', 'current.json');
export const DEFAULT_API = 'http://127.0.0.1:8084';


export interface CurrentMesh {
  dashboardUrl: string;
  pid: number;
  tapToken?: string;
  /** The run's directory: logs/ holds each process' log (`meshviz logs`). */
  runDir?: string;
}

/** The mesh `meshviz up` is running now, if any. */
export function readCurrent(): CurrentMesh | null {
  if (!existsSync(CURRENT_FILE)) return null;
  try {
    const state = JSON.parse(readFileSync(CURRENT_FILE, 'utf8')) as CurrentMesh;
    return state.dashboardUrl && state.pid && processExists(state.pid) ? state : null;
  } catch {
    // A broken file is ignored: the defaults still work for most users.
    return null;
  }
}

/** --api wins; then MESHVIZ_API_URL; then the mesh `meshviz up` is running; then the default dashboard port. */
export function resolveApiUrl(flag: string | undefined, envUrl: string | undefined): string {
  if (flag) return flag.replace(/\/+$/, '');
  if (envUrl) return envUrl.replace(/\/+$/, '');
  return readCurrent()?.dashboardUrl ?? DEFAULT_API;
}
