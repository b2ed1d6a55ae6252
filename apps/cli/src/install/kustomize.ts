import { execFile } from 'node:child_process';
import { type KubeObject, parseObjects } from './objects.js';

/**
 * Builds a kustomize directory with `kubectl kustomize`, the kustomize every kubectl carries, so what
 * `meshviz install` prints is what `kubectl kustomize deploy/overlays/…` prints, plus the trust material.
 */
export function kustomizeBuild(dir: string, kubectl = 'kubectl'): Promise<KubeObject[]> {
  return new Promise((resolve, reject) => {
    execFile(kubectl, ['kustomize', dir], { maxBuffer: 64 * 1024 * 1024 }, (error, stdout, stderr) => {
      if ((error as NodeJS.ErrnoException | null)?.code === 'ENOENT') {
        reject(
          new Error(
            `${kubectl} was not found: meshviz renders its manifests with \`kubectl kustomize\`; install kubectl and run again`,
          ),
        );
        return;
      }
      if (error) {
        reject(new Error(`kubectl kustomize ${dir} failed: ${stderr.trim() || error.message}`));
        return;
      }
      try {
        resolve(parseObjects(stdout, `kubectl kustomize ${dir}`));
      } catch (parseError) {
        reject(parseError);
      }
    });
  });
}
