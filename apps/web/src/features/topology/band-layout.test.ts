import { describe, expect, it } from 'vitest';
import { bandLayout, layers } from './band-layout';

const options = { rankSep: 100, nodeSep: 50, bandGap: 80 };

describe('layers', () => {
  it('puts callers before callees, on their longest path', () => {
    const l = layers(
      [{ id: 'a' }, { id: 'b' }, { id: 'c' }, { id: 'd' }],
      [
        { source: 'a', target: 'b' },
        { source: 'b', target: 'c' },
        { source: 'a', target: 'c' },
        { source: 'd', target: 'c' },
      ],
    );
    expect(Object.fromEntries(l)).toEqual({ a: 0, b: 1, c: 2, d: 0 });
  });

  it('breaks cycles instead of looping, and ignores self calls and unknown ends', () => {
    const l = layers(
      [{ id: 'a' }, { id: 'b' }, { id: 'c' }],
      [
        { source: 'a', target: 'b' },
        { source: 'b', target: 'c' },
        { source: 'c', target: 'a' },
        { source: 'b', target: 'b' },
        { source: 'x', target: 'a' },
      ],
    );
    expect(l.size).toBe(3);
    expect(new Set(l.values()).size).toBe(3);
  });
});

describe('bandLayout', () => {
  const nodes = [
    { id: 'ns/a' },
    { id: 'ns/b' },
    { id: 'a1', parent: 'ns/a' },
    { id: 'a2', parent: 'ns/a' },
    { id: 'a3', parent: 'ns/a' },
    { id: 'b1', parent: 'ns/b' },
    { id: 'b2', parent: 'ns/b' },
  ];
  const edges = [
    { source: 'a1', target: 'a2' },
    { source: 'a1', target: 'a3' },
    { source: 'a2', target: 'b1' },
    { source: 'b1', target: 'b2' },
  ];
  const positions = bandLayout(nodes, edges, options);

  it('places every leaf, not the namespace boxes', () => {
    expect([...positions.keys()].sort()).toEqual(['a1', 'a2', 'a3', 'b1', 'b2']);
  });

  it('runs left to right along calls inside a namespace', () => {
    for (const [source, target] of [
      ['a1', 'a2'],
      ['a1', 'a3'],
      ['b1', 'b2'],
    ] as const) {
      expect(positions.get(source)!.x).toBeLessThan(positions.get(target)!.x);
    }
  });

  it('gives each namespace a band of its own, apart from the others', () => {
    const box = (ids: string[]) => {
      const ps = ids.map((id) => positions.get(id)!);
      return { left: Math.min(...ps.map((p) => p.x)), right: Math.max(...ps.map((p) => p.x)), top: Math.min(...ps.map((p) => p.y)), bottom: Math.max(...ps.map((p) => p.y)) };
    };
    const a = box(['a1', 'a2', 'a3']);
    const b = box(['b1', 'b2']);
    const apart = b.left - a.right >= options.bandGap || b.top - a.bottom >= options.bandGap;
    expect(apart).toBe(true);
  });

  it('shelves bands in rows so a big graph is wider than tall', () => {
    const many = Array.from({ length: 300 }, (_, i) => ({ id: `n${i}`, parent: `ns${i % 10}` }));
    const links = Array.from({ length: 600 }, (_, i) => ({ source: `n${i % 300}`, target: `n${(i * 7 + 3) % 300}` }));
    const ps = [...bandLayout(many, links, { ...options, aspect: 2 }).values()];
    const width = Math.max(...ps.map((p) => p.x)) - Math.min(...ps.map((p) => p.x));
    const height = Math.max(...ps.map((p) => p.y)) - Math.min(...ps.map((p) => p.y));
    expect(width / height).toBeGreaterThan(0.8);
  });

  it('never puts two nodes on the same spot', () => {
    const spots = new Set([...positions.values()].map((p) => `${p.x},${p.y}`));
    expect(spots.size).toBe(positions.size);
  });

  it('lays out 500 nodes and 2000 edges quickly', () => {
    const many = Array.from({ length: 500 }, (_, i) => ({ id: `n${i}`, parent: `ns${i % 10}` }));
    const links = Array.from({ length: 2000 }, (_, i) => ({ source: `n${(i * 7) % 500}`, target: `n${(i * 13 + 1) % 500}` }));
    const started = performance.now();
    expect(bandLayout(many, links, options).size).toBe(500);
    expect(performance.now() - started).toBeLessThan(1000);
  });
});
