import { existsSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

/**
 * The repository's deploy/ folder: the kustomize tree `meshviz install` renders. The CLI runs from the clone it
 * was built in (apps/cli/dist/install or apps/cli/src/install), so deploy/ is four levels up.
 */
export function deployDir(): string {
  const dir = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..', '..', '..', 'deploy');
  if (!existsSync(path.join(dir, 'base'))) {
    throw new Error(`the Kubernetes manifests were not found at ${dir}; run meshviz from a clone of the meshviz repository`);
  }
  return dir;
}
