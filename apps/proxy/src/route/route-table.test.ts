import { describe, expect, it } from 'vitest';
import { compileRoutes, pathOf } from './route-table.js';

describe('compileRoutes', () => {
  const routes = compileRoutes([
    { name: 'GET /books', method: 'GET', path: '/books' },
    { name: 'book', method: 'GET', pathRegex: '/books/[0-9]+' },
    { name: 'admin', pathPrefix: '/admin/' },
    { name: 'retried', method: 'PUT', path: '/books', retries: { limit: 2 } },
  ]);

  it('matches method and path, first match wins, query strings ignored', () => {
    expect(routes.match('GET', '/books').name).toBe('GET /books');
    expect(routes.match('GET', '/books?page=2').name).toBe('GET /books');
    expect(routes.match('GET', '/books/42').name).toBe('book');
    expect(routes.match('GET', '/books/42/x').name).toBe('');
    expect(routes.match('POST', '/admin/users').name).toBe('admin');
    expect(routes.match('POST', '/books').name).toBe('');
  });

  it('carries the retry policy, with one budget per route', () => {
    const retried = routes.match('PUT', '/books');
    expect(retried.retry?.limit).toBe(2);
    expect(retried.retry?.idempotentOnly).toBe(true);
    expect(retried.budget).toBeDefined();
    expect(routes.match('PUT', '/books').budget).toBe(retried.budget);
    expect(routes.match('GET', '/books').budget).toBeUndefined();
  });

  it('refuses an invalid pathRegex, naming the route', () => {
    expect(() => compileRoutes([{ name: 'broken', pathRegex: '(' }])).toThrow(/route "broken": pathRegex/);
  });

  it('takes the path of absolute-form targets', () => {
    expect(pathOf('http://books.example:80/books?x=1')).toBe('/books');
    expect(pathOf('http://books.example')).toBe('/');
    expect(pathOf('*')).toBe('/');
  });
});
