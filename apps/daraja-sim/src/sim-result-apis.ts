import { envelope, isRecord, type SimAnswer } from './sim-answer';
import { eatTimestamp, receiptNumber } from './sim-ids';
import { SimInitiators, type InitiatorRole } from './sim-initiators';
import { SimKeys } from './sim-keys';
import type { SimReceipt } from './sim-ledger';
import {
  conversationId,
  originatorConversationId,
  queueTimeoutBody,
  resultBody,
  type ResultIds,
} from './sim-result-body';
import type { SimResultPoster } from './sim-result-poster';
import {
  checkAccountBalance,
  checkReversal,
  checkTransactionStatus,
  type InitiatorRequest,
} from './sim-result-validation';
import type { Checked } from './sim-validation';

export interface ResultApiHooks {
  refusal: (authorization: string | undefined) => SimAnswer | undefined;
  /** Whether a shortcode, store number or till number belongs to a known account. */
  knownParty: (party: string) => boolean;
  findReceipt: (receipt: string) => SimReceipt | undefined;
  schedule: (ms: number, run: () => void) => void;
  delayMs: () => number;
  poster: SimResultPoster;
}

interface Outcome {
  resultCode: number | string;
  resultDesc: string;
  transactionId: string;
  params: [string, string | number | undefined][];
}

const ROLE: Record<InitiatorRequest['command'], InitiatorRole> = {
  TransactionStatusQuery: 'status',
  TransactionReversal: 'reversal',
  AccountBalance: 'balance',
};

const INVALID_INITIATOR = 'The initiator information is invalid.';

/**
 * Transaction Status, Reversal and Account Balance (REFERENCE §7, §12): the request is checked and
 * answered at once; the outcome is decided and posted to the ResultURL after the callback delay.
 */
export class SimResultApis {
  readonly keys = new SimKeys();
  readonly initiators = new SimInitiators();
  private reversed = new Map<string, string>();

  constructor(private readonly hooks: ResultApiHooks) {
    this.reset();
  }

  reset(): void {
    this.initiators.reset();
    this.reversed = new Map();
  }

  transactionStatus(authorization: string | undefined, body: unknown): SimAnswer {
    return this.handle(authorization, body, checkTransactionStatus, (r) => this.status(r));
  }

  reversal(authorization: string | undefined, body: unknown): SimAnswer {
    return this.handle(authorization, body, checkReversal, (r) => this.reverse(r));
  }

  accountBalance(authorization: string | undefined, body: unknown): SimAnswer {
    return this.handle(authorization, body, checkAccountBalance, () => balance());
  }

  /** The reversal receipt of an original receipt, when it was reversed here. */
  reversalOf(receipt: string): string | undefined {
    return this.reversed.get(receipt.toUpperCase());
  }

  private handle(
    authorization: string | undefined,
    body: unknown,
    check: (b: Record<string, unknown>) => Checked<InitiatorRequest>,
    perform: (r: InitiatorRequest) => Outcome,
  ): SimAnswer {
    const refused = this.hooks.refusal(authorization);
    if (refused) return refused;
    if (!isRecord(body)) return envelope(400, '400.002.05', 'Invalid Request Payload');
    const checked = check(body);
    if (!checked.ok) return envelope(400, checked.errorCode, checked.errorMessage);
    const req = checked.value;
    const partyField = req.command === 'TransactionReversal' ? 'ReceiverParty' : 'PartyA';
    if (!this.hooks.knownParty(req.party)) return invalid(partyField);
    const password = this.keys.decrypt(req.securityCredential);
    if (password === undefined) return invalid('SecurityCredential');
    const original = req.transactionId ? this.hooks.findReceipt(req.transactionId) : undefined;
    // Simulator's choice: only a full reversal is taken (REFERENCE is silent on partial ones).
    if (req.command === 'TransactionReversal' && original && original.amount !== req.amount) {
      return invalid('Amount');
    }
    const ids = {
      conversationId: conversationId(new Date()),
      originatorConversationId: originatorConversationId(),
    };
    this.hooks.schedule(this.hooks.delayMs(), () => void this.finish(req, password, ids, perform));
    return {
      status: 200,
      body: {
        OriginatorConversationID: ids.originatorConversationId,
        ConversationID: ids.conversationId,
        ResponseCode: '0',
        ResponseDescription: 'Accept the service request successfully.',
      },
    };
  }

  private async finish(
    req: InitiatorRequest,
    password: string,
    ids: ResultIds,
    perform: (r: InitiatorRequest) => Outcome,
  ): Promise<void> {
    const initiator = this.initiators.get(req.initiator);
    const post = (
      kind: 'result' | 'queue_timeout',
      url: string,
      body: Record<string, unknown>,
      code: string,
    ) =>
      this.hooks.poster.post({
        kind,
        command: req.command,
        conversationId: ids.conversationId,
        url,
        resultCode: code,
        body,
      });
    let outcome: Outcome;
    if (!initiator || initiator.password !== password) {
      const now = Number(eatTimestamp(new Date()));
      outcome = {
        resultCode: 2001,
        resultDesc: INVALID_INITIATOR,
        transactionId: '',
        params: [['BOCompletedTime', now]],
      };
    } else if (!initiator.roles.includes(ROLE[req.command])) {
      outcome = {
        resultCode: 21,
        resultDesc: 'The initiator is not allowed to initiate this request',
        transactionId: '',
        params: [],
      };
    } else if (initiator.delivery === 'queue_timeout') {
      await post('queue_timeout', req.queueTimeoutUrl, queueTimeoutBody(ids), '');
      return;
    } else {
      outcome = perform(req);
      if (initiator.delivery === 'never') return;
    }
    const body = resultBody({ ids, ...outcome, occasion: req.occasion });
    const copies = initiator?.delivery === 'twice' ? 2 : 1;
    for (let i = 0; i < copies; i++) {
      await post('result', req.resultUrl, body, String(outcome.resultCode));
    }
  }

  private status(req: InitiatorRequest): Outcome {
    const r = this.hooks.findReceipt(req.transactionId);
    if (!r) {
      // Simulator's choice of code: REFERENCE §7.1 lists SFC_IC0003 among Transaction Status failures.
      return {
        resultCode: 'SFC_IC0003',
        resultDesc: 'The transaction could not be found.',
        transactionId: '',
        params: [],
      };
    }
    const at = Number(eatTimestamp(new Date(r.completedAt)));
    return {
      resultCode: 0,
      resultDesc: 'The service request is processed successfully.',
      transactionId: receiptNumber(new Date()),
      params: [
        ['DebitPartyName', `${r.phone.slice(0, 6)}***${r.phone.slice(-3)} - Simulated Customer`],
        ['CreditPartyName', `${r.partyB} - Simulated Merchant`],
        ['OriginatorConversationID', ''],
        ['InitiatedTime', at],
        ['DebitAccountType', 'MMF Account For Customer'],
        ['DebitPartyCharges', undefined],
        ['TransactionReason', undefined],
        ['ReasonType', 'Pay Merchant via API'],
        ['TransactionStatus', this.reversed.has(r.receipt) ? 'Reversed' : 'Completed'],
        ['FinalisedTime', at],
        ['Amount', r.amount],
        ['ConversationID', ''],
        ['ReceiptNo', r.receipt],
      ],
    };
  }

  private reverse(req: InitiatorRequest): Outcome {
    const r = this.hooks.findReceipt(req.transactionId);
    const none = { transactionId: '', params: [] };
    if (!r) {
      return {
        resultCode: 'R000002',
        resultDesc: 'The OriginalTransactionID is invalid.',
        ...none,
      };
    }
    if (this.reversed.has(r.receipt)) {
      return {
        resultCode: 'R000001',
        resultDesc: 'The transaction has already been reversed.',
        ...none,
      };
    }
    const reversal = receiptNumber(new Date());
    this.reversed.set(r.receipt, reversal);
    return {
      resultCode: 0,
      resultDesc: 'The service request is processed successfully.',
      transactionId: reversal,
      params: [
        ['DebitAccountBalance', 'Utility Account|KES|0.00|0.00|0.00|0.00'],
        ['Amount', r.amount],
        ['TransCompletedTime', Number(eatTimestamp(new Date()))],
        ['OriginalTransactionID', r.receipt],
        ['Charge', 0],
        [
          'CreditPartyPublicName',
          `${r.phone.slice(0, 6)}***${r.phone.slice(-3)} - Simulated Customer`,
        ],
        ['DebitPartyPublicName', `${r.partyB} - Simulated Merchant`],
      ],
    };
  }
}

function invalid(field: string): SimAnswer {
  return envelope(400, '400.002.02', `Bad Request - Invalid ${field}`);
}

function balance(): Outcome {
  return {
    resultCode: 0,
    resultDesc: 'The service request is processed successfully.',
    transactionId: receiptNumber(new Date()),
    params: [
      [
        'AccountBalance',
        'Working Account|KES|700000.00|700000.00|0.00|0.00&Utility Account|KES|228037.00|228037.00|0.00|0.00',
      ],
      ['BOCompletedTime', Number(eatTimestamp(new Date()))],
    ],
  };
}
