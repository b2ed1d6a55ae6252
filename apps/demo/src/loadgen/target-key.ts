import type { LoadTarget } from '@meshviz/mesh-types';

/** `GET web.bookshop/books`: one identity per target, used by the config check and the counts. */
export function targetKey(target: Pick<LoadTarget, 'service' | 'method' | 'path'>): string {
  return `${target.method} ${target.service}${target.path}`;
}
