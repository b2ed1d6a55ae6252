import type { CompiledMatch } from '@meshviz/mesh-types';
import type { ProxyRequest } from '../core/stage.js';

/** A compiled request match: `path` is the request's path without query (see pathOf in route/route-table.ts). */
export type RequestTest = (request: ProxyRequest, path: string) => boolean;

const always: RequestTest = () => true;

/**
 * Compiles one Gateway-API-style match into a test: every given field must hold. Paths: Exact compares the whole
 * path, PathPrefix matches whole path segments ("/books" matches "/books" and "/books/1", not "/bookshop"), a
 * RegularExpression must match the whole path. Header names are case-insensitive, and any of a repeated header's
 * values may match. A gRPC match applies only to gRPC requests, whose path is `/<service>/<method>`. Throws an Error
 * naming what is wrong (an invalid regular expression).
 */
export function compileMatch(match: CompiledMatch, where: string): RequestTest {
  const tests: RequestTest[] = [];
  if (match.method !== undefined) {
    const method = match.method;
    tests.push((request) => request.method === method);
  }
  if (match.path) tests.push(pathTest(match.path, where));
  for (const [i, header] of match.headers.entries()) {
    const name = header.name.toLowerCase();
    const value =
      header.type === 'Exact' ? (v: string) => v === header.value : regexTest(header.value, `${where}: headers[${i}] (${header.name})`);
    tests.push((request) => {
      const list = request.headers;
      for (let k = 0; k + 1 < list.length; k += 2) {
        if (list[k]!.toLowerCase() === name && value(list[k + 1]!)) return true;
      }
      return false;
    });
  }
  if (match.grpc) tests.push(grpcTest(match.grpc.service, match.grpc.method));
  if (tests.length === 0) return always;
  if (tests.length === 1) return tests[0]!;
  return (request, path) => {
    for (const test of tests) if (!test(request, path)) return false;
    return true;
  };
}

function pathTest(path: NonNullable<CompiledMatch['path']>, where: string): RequestTest {
  const { value } = path;
  switch (path.type) {
    case 'Exact':
      return (_request, p) => p === value;
    case 'PathPrefix': {
      // "/" and "" match everything; a trailing slash on the prefix does not change which segments match.
      const prefix = value.endsWith('/') ? value.slice(0, -1) : value;
      if (prefix === '') return always;
      return (_request, p) => p.startsWith(prefix) && (p.length === prefix.length || p.charCodeAt(prefix.length) === 47);
    }
    case 'RegularExpression': {
      const test = regexTest(value, `${where}: path`);
      return (_request, p) => test(p);
    }
  }
}

function regexTest(source: string, where: string): (value: string) => boolean {
  let re: RegExp;
  try {
    re = new RegExp(`^(?:${source})$`);
  } catch (error) {
    throw new Error(`${where}: "${source}" is not a valid regular expression: ${(error as Error).message}`);
  }
  return (value) => re.test(value);
}

function grpcTest(service: string | undefined, method: string | undefined): RequestTest {
  return (request, path) => {
    if (!request.grpc) return false;
    // "/<service>/<method>": compare in place, without splitting the path.
    const slash = path.indexOf('/', 1);
    if (slash < 0) return false;
    if (service !== undefined && (slash - 1 !== service.length || !path.startsWith(service, 1))) return false;
    if (method !== undefined && (path.length - slash - 1 !== method.length || !path.startsWith(method, slash + 1))) return false;
    return true;
  };
}
