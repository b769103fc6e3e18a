import { type CanActivate, Injectable, UseGuards } from '@nestjs/common';
import { ShutdownState, UnavailableError } from '@malipo/common';

/**
 * New STK pushes are refused once a stop has begun: a push started now could outlive the process.
 * The POS sends it again to another replica (the answer carries `Connection: close`); the same
 * Idempotency-Key makes that safe.
 */
@Injectable()
export class StoppingGuard implements CanActivate {
  constructor(private readonly state: ShutdownState) {}

  canActivate(): boolean {
    if (!this.state.draining) return true;
    throw new UnavailableError(
      'This replica is stopping; send the request again (same Idempotency-Key)',
      'SERVICE.STOPPING',
    );
  }
}

/** For routes that start new work with Daraja (initiate, retry). */
export const RefusedWhileStopping = () => UseGuards(StoppingGuard);
