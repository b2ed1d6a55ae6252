import { serviceAuthority } from '@meshviz/mesh-types';

/** `catalog.bookshop` in the mesh file is service `catalog` in namespace `bookshop`. */
export function authorityOf(ref: string): string {
  const dot = ref.indexOf('.');
  if (dot <= 0 || dot === ref.length - 1) throw new Error(`not a "<service>.<namespace>" reference: ${ref}`);
  return serviceAuthority(ref.slice(0, dot), ref.slice(dot + 1));
}
