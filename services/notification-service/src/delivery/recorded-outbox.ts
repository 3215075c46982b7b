/**
 * The last messages a stand-in provider "sent", newest last, bounded so a long-running process
 * never grows it without limit. Tests and developers read it to see what would have gone out.
 */
export class RecordedOutbox<T> {
  private readonly entries: T[] = [];

  constructor(private readonly capacity = 500) {}

  record(entry: T): void {
    this.entries.push(entry);
    if (this.entries.length > this.capacity) this.entries.splice(0, this.entries.length - this.capacity);
  }

  all(): readonly T[] {
    return [...this.entries];
  }
}
