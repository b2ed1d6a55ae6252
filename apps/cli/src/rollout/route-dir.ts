import { readdir, readFile } from 'node:fs/promises';
import path from 'node:path';
import { writeFileAtomic } from './atomic-write.js';
import { withFileLock } from './file-lock.js';
import { RouteFileError, type RouteSplit, type SplitTarget, scanRouteFile, withWeights } from './route-split.js';
import type { Weights } from './steps.js';

/** Files the control plane reads from the config directory: `*.yaml` and `*.yml` directly in it, not hidden ones. */
const CONFIG_FILE = /\.ya?ml$/;

export interface LocatedRoute {
  file: string;
  text: string;
  split: RouteSplit;
}

async function configFiles(dir: string): Promise<string[]> {
  try {
    const entries = await readdir(dir, { withFileTypes: true });
    return entries
      .filter((e) => e.isFile() && CONFIG_FILE.test(e.name) && !e.name.startsWith('.'))
      .map((e) => path.join(dir, e.name))
      .sort();
  } catch (err) {
    throw new RouteFileError(`cannot read the config directory ${dir}: ${(err as Error).message}`);
  }
}

/**
 * Finds the file in `dir` that declares the target HTTPRoute and its split, read afresh each time (an operator may
 * have edited it since). Refuses, naming the file and field, a route that is missing, declared twice, in a file with
 * invalid YAML, or whose stable or canary backend is missing.
 */
export async function locateRoute(dir: string, target: SplitTarget): Promise<LocatedRoute> {
  const found: (LocatedRoute & { yamlError: string | null })[] = [];
  const routes: string[] = [];
  const broken: string[] = [];
  for (const file of await configFiles(dir)) {
    const text = await readFile(file, 'utf8').catch((err: Error) => {
      throw new RouteFileError(`cannot read ${file}: ${err.message}`);
    });
    const scan = scanRouteFile(file, text, target);
    routes.push(...scan.routes.map((r) => `${r} (${path.basename(file)})`));
    if (scan.yamlError) broken.push(`${file}: ${scan.yamlError}`);
    if (scan.split) found.push({ file, text, split: scan.split, yamlError: scan.yamlError });
  }
  const name = `HTTPRoute ${target.namespace}/${target.route}`;
  if (found.length > 1) throw new RouteFileError(`${name} is declared more than once: in ${found.map((f) => f.file).join(' and ')}`);
  const [route] = found;
  if (route === undefined) {
    const there = routes.length > 0 ? `; the HTTPRoutes there: ${routes.join(', ')}` : '; it declares no HTTPRoute';
    const unread = broken.length > 0 ? `; files that could not be read: ${broken.join('; ')}` : '';
    throw new RouteFileError(`no ${name} in ${dir}${there}${unread}`);
  }
  if (route.yamlError) throw new RouteFileError(`${route.file}: ${route.yamlError}; fix the file before a rollout edits it`);
  return { file: route.file, text: route.text, split: route.split };
}

/**
 * Sets the two backends' weights in the route's file (atomically, under the file's lock, from the file as it is
 * then), unless they already are; says whether it wrote.
 */
export async function writeRouteWeights(dir: string, target: SplitTarget, weights: Weights): Promise<{ file: string; written: boolean }> {
  const { file } = await locateRoute(dir, target);
  return withFileLock(file, async () => {
    const text = await readFile(file, 'utf8');
    const scan = scanRouteFile(file, text, target);
    if (scan.split === null) throw new RouteFileError(`${file}: HTTPRoute ${target.namespace}/${target.route} was removed while the rollout ran`);
    if (scan.yamlError) throw new RouteFileError(`${file}: ${scan.yamlError}; fix the file before a rollout edits it`);
    if (scan.split.rules.every((r) => r.stable.weight === weights.stable && r.canary.weight === weights.canary)) return { file, written: false };
    await writeFileAtomic(file, withWeights(file, text, target, weights));
    return { file, written: true };
  });
}
