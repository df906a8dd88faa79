/**
 * The nodes and the network between them, as the nemesis leaves them: which links are cut,
 * which nodes are crashed or paused, and how far each node's clock is skewed. Links are bit
 * masks (node i reaches node j when bit j of reach[i] is set), so the questions behaviours ask
 * on every operation ("does this node see a majority?") cost a few instructions.
 */
export class Cluster {
  readonly names: string[];
  readonly majority: number;
  private readonly reach: number[];
  readonly crashed: boolean[];
  readonly paused: boolean[];
  /** Clock offset of each node, nanoseconds. */
  readonly skew: number[];

  constructor(readonly size: number) {
    if (size < 1 || size > 31) throw new RangeError("a cluster has 1 to 31 nodes");
    this.names = Array.from({ length: size }, (_, i) => `n${i + 1}`);
    this.majority = Math.floor(size / 2) + 1;
    this.reach = new Array<number>(size).fill(0);
    this.crashed = new Array<boolean>(size).fill(false);
    this.paused = new Array<boolean>(size).fill(false);
    this.skew = new Array<number>(size).fill(0);
    this.heal();
  }

  /** Crashed and paused nodes answer nobody. */
  alive(node: number): boolean {
    return !this.crashed[node] && !this.paused[node];
  }

  /** Both alive and the link between them up. */
  connected(a: number, b: number): boolean {
    return this.alive(a) && this.alive(b) && ((this.reach[a]! >>> b) & 1) === 1;
  }

  /** Nodes `node` can talk to now, itself included (none when it is down). */
  peers(node: number): number[] {
    const out: number[] = [];
    for (let j = 0; j < this.size; j++) if (this.connected(node, j)) out.push(j);
    return out;
  }

  /** Whether `node` is alive and sees a majority of the cluster, itself included. */
  seesMajority(node: number): boolean {
    if (!this.alive(node)) return false;
    let count = 0;
    for (let j = 0; j < this.size; j++) if (this.connected(node, j)) count++;
    return count >= this.majority;
  }

  /** Cuts every link between different groups; nodes in no group are cut from everyone. */
  partition(groups: readonly (readonly number[])[]): void {
    this.reach.fill(0);
    for (let i = 0; i < this.size; i++) this.reach[i] = 1 << i;
    for (const group of groups) {
      let mask = 0;
      for (const n of group) mask |= 1 << n;
      for (const n of group) this.reach[n] = mask;
    }
  }

  /** A bridge: two sides that cannot talk, and one node that talks to both (non-transitive). */
  bridge(left: readonly number[], middle: number, right: readonly number[]): void {
    this.partition([[...left, middle], [middle, ...right]]);
    let all = 0;
    for (let i = 0; i < this.size; i++) all |= 1 << i;
    this.reach[middle] = all;
  }

  heal(): void {
    const all = this.size === 31 ? 0x7fffffff : (1 << this.size) - 1;
    this.reach.fill(all);
  }

  /** A node's wall clock: true time plus its skew. */
  clock(node: number, now: number): number {
    return now + this.skew[node]!;
  }

  describeNodes(nodes: readonly number[]): string {
    return nodes.map((n) => this.names[n]).join(" ");
  }
}
