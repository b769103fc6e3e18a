/** The result-based commands an initiator may hold a role for (REFERENCE §7). */
export type InitiatorRole = 'status' | 'reversal' | 'balance';

/**
 * How the result of this initiator's requests reaches the caller: once (normal), twice (a
 * duplicated result), queue_timeout (the request times out in Daraja's queue and is not carried
 * out; the QueueTimeOutURL is called), never (carried out, but no result is ever posted).
 */
export const RESULT_DELIVERIES = ['once', 'twice', 'queue_timeout', 'never'] as const;
export type ResultDelivery = (typeof RESULT_DELIVERIES)[number];

export interface SimInitiator {
  name: string;
  password: string;
  roles: InitiatorRole[];
  delivery: ResultDelivery;
}

/** The sandbox's published test initiator (REFERENCE §7.6), with every role. */
export const SANDBOX_INITIATOR: SimInitiator = {
  name: 'testapi',
  password: 'Safaricom999!*!',
  roles: ['status', 'reversal', 'balance'],
  delivery: 'once',
};

export class SimInitiators {
  private byName = new Map<string, SimInitiator>();

  reset(): void {
    this.byName = new Map([[SANDBOX_INITIATOR.name, { ...SANDBOX_INITIATOR }]]);
  }

  add(initiator: SimInitiator): void {
    this.byName.set(initiator.name, { ...initiator, roles: [...initiator.roles] });
  }

  get(name: string): SimInitiator | undefined {
    return this.byName.get(name);
  }

  list(): Omit<SimInitiator, 'password'>[] {
    return [...this.byName.values()].map(({ password: _password, ...rest }) => rest);
  }
}
