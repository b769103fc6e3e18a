import { Injectable } from '@nestjs/common';

/**
 * Whether this process is stopping, and what it is still doing. Readiness turns 503 the moment a
 * stop begins (load balancers take the replica out), work that would start something new is
 * refused, and the stop waits for the work in flight, which it can name when it runs late.
 */
@Injectable()
export class ShutdownState {
  private stoppingSince: number | null = null;
  private readonly inFlight = new Map<string, number>();

  get draining(): boolean {
    return this.stoppingSince !== null;
  }

  /** Milliseconds since the stop began (0 while running). */
  get drainingForMs(): number {
    return this.stoppingSince === null ? 0 : Date.now() - this.stoppingSince;
  }

  begin(): void {
    this.stoppingSince ??= Date.now();
  }

  /** Counts one unit of work under a name (e.g. `POST /v1/payments`); call the result when done. */
  track(name: string): () => void {
    this.inFlight.set(name, (this.inFlight.get(name) ?? 0) + 1);
    let done = false;
    return () => {
      if (done) return;
      done = true;
      const left = (this.inFlight.get(name) ?? 1) - 1;
      if (left > 0) this.inFlight.set(name, left);
      else this.inFlight.delete(name);
    };
  }

  /** Units of work in flight whose name passes `include`. */
  count(include: (name: string) => boolean = () => true): number {
    let n = 0;
    for (const [name, c] of this.inFlight) if (include(name)) n += c;
    return n;
  }

  /** "2 × POST /v1/payments, 1 × POST /v1/hooks/stk/:token", or "nothing". */
  describe(): string {
    const parts = [...this.inFlight].map(([name, c]) => `${c} × ${name}`);
    return parts.length ? parts.join(', ') : 'nothing';
  }
}
