/**
 * Messages in flight between replicas, delivered lazily: the store drains what is due before it
 * reads or changes anything, and before the network changes, so each message meets exactly the
 * network that stands at its delivery time without an event of its own.
 */
export interface Message<Op> {
  from: number;
  to: number;
  due: number;
  op: Op;
  ts: number;
}

export class ReplicationQueue<Op> {
  private readonly items: Message<Op>[] = [];

  push(message: Message<Op>): void {
    this.items.push(message);
  }

  /** Delivers every message due by `now`, in the order they were sent; keeps the rest. */
  drain(now: number, deliver: (message: Message<Op>) => void): void {
    const items = this.items;
    let kept = 0;
    for (let i = 0; i < items.length; i++) {
      const m = items[i]!;
      if (m.due <= now) deliver(m);
      else items[kept++] = m;
    }
    items.length = kept;
  }
}
