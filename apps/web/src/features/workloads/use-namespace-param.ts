'use client';

import { usePathname, useRouter, useSearchParams } from 'next/navigation';
import { useCallback } from 'react';
import { namespaceFromParams, namespaceHref } from './namespaces';

/** The selected namespace lives in the URL (?namespace=…), so views can be shared and survive a reload. */
export function useNamespaceParam(): [string, (namespace: string) => void] {
  const searchParams = useSearchParams();
  const pathname = usePathname();
  const router = useRouter();
  const namespace = namespaceFromParams(searchParams);
  const setNamespace = useCallback(
    (next: string) => {
      router.push(namespaceHref(pathname, new URLSearchParams(searchParams.toString()), next), { scroll: false });
    },
    [router, pathname, searchParams],
  );
  return [namespace, setNamespace];
}
