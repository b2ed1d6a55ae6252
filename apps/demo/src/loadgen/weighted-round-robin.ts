/**
 * Smooth weighted round robin (the nginx scheme): each pick adds every weight to its running score, takes the
 * highest and subtracts the total from it. Weights 3:1 give A A B A, spread out rather than A A A B, and the
 * sequence is the same on every run.
 */
export class WeightedRoundRobin<T> {
  private readonly scores: number[];
  private readonly total: number;

  constructor(private readonly items: readonly { item: T; weight: number }[]) {
    if (items.length === 0) throw new Error('weighted round robin needs at least one item');
    this.scores = items.map(() => 0);
    this.total = items.reduce((sum, { weight }) => sum + weight, 0);
  }

  next(): T {
    let best = 0;
    for (let i = 0; i < this.items.length; i++) {
      this.scores[i]! += this.items[i]!.weight;
      if (this.scores[i]! > this.scores[best]!) best = i;
    }
    this.scores[best]! -= this.total;
    return this.items[best]!.item;
  }
}
