/**
 * The time budget of a verify run (`--timeout`): one deadline for the whole run, shared by every
 * network step (the cloud metadata and token requests, each mail connection, its TLS handshake and
 * every read). A server that keeps talking, drips bytes or stays silent cannot make a step outlast
 * it, because no step has a clock of its own.
 */
export class Deadline {
  private readonly end: number;

  constructor(
    /** The whole budget, in milliseconds. */
    readonly budgetMs: number,
    private readonly clock: () => number = () => performance.now(),
  ) {
    this.end = clock() + budgetMs;
  }

  /** Milliseconds left (0 when spent). */
  remainingMs(): number {
    return Math.max(0, this.end - this.clock());
  }

  expired(): boolean {
    return this.remainingMs() <= 0;
  }

  /** The budget in words, for messages: "20 s" (or "0.3 s" for a sub-second budget). */
  describe(): string {
    const s = this.budgetMs / 1000;
    return `${s >= 1 ? Math.round(s) : Number(s.toFixed(1))} s`;
  }
}
