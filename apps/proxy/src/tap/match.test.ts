import { describe, expect, it } from 'vitest';
import { type ExchangeFacts, matches, parseObserveRequest, type TapFilter } from './match.js';

const facts: ExchangeFacts = {
  direction: 'outbound',
  method: 'GET',
  scheme: 'http',
  authorityHost: 'catalog.shop.svc.cluster.local',
  path: '/books/42?x=1',
  destination: { addr: '127.0.0.1:4143', namespace: 'shop', deployment: 'catalog', pod: 'catalog-1' },
};

function filter(match: Parameters<typeof parseObserveRequest>[0]['match']): TapFilter {
  const parsed = parseObserveRequest({ maxRps: 10, match });
  if (!parsed.ok) throw new Error(parsed.message);
  return parsed.filter;
}

describe('parseObserveRequest', () => {
  it('accepts 1..1000 and an absent match (match everything)', () => {
    expect(parseObserveRequest({ maxRps: 1, match: null })).toMatchObject({ ok: true, maxRps: 1 });
    expect(parseObserveRequest({ maxRps: 1000 })).toMatchObject({ ok: true, maxRps: 1000 });
  });

  it.each([0, 1001, 2.5, undefined])('refuses max_rps %s, naming the field', (maxRps) => {
    const parsed = parseObserveRequest({ maxRps });
    expect(parsed.ok).toBe(false);
    if (!parsed.ok) expect(parsed.message).toMatch(/^max_rps must be an integer from 1 to 1000/);
  });

  it('normalises the authority filter to a lower-case host without port', () => {
    expect(filter({ authority: 'Catalog.Shop.svc.cluster.local:8080' }).authorityHost).toBe('catalog.shop.svc.cluster.local');
  });
});

describe('matches', () => {
  it('matches everything with an empty filter', () => {
    expect(matches(filter({}), facts)).toBe(true);
  });

  it.each([
    [{ direction: 'outbound' }, true],
    [{ direction: 'inbound' }, false],
    [{ method: 'GET' }, true],
    [{ method: 'POST' }, false],
    [{ pathPrefix: '/books' }, true],
    [{ pathPrefix: '/authors' }, false],
    [{ authority: 'CATALOG.shop.svc.cluster.local:80' }, true],
    [{ authority: 'web.shop.svc.cluster.local' }, false],
    [{ scheme: 'HTTP' }, true],
    [{ scheme: 'https' }, false],
    [{ dstNamespace: 'shop', dstDeployment: 'catalog', dstPod: 'catalog-1' }, true],
    [{ dstNamespace: 'shop', dstDeployment: 'web' }, false],
    [{ dstPod: 'catalog-0' }, false],
  ])('%j → %s', (match, expected) => {
    expect(matches(filter(match), facts)).toBe(expected);
  });
});
