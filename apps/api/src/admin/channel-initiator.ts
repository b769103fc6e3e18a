import { ValidationError, type SecretBox } from '@malipo/common';
import { publicKeyOf } from '@malipo/daraja';
import type { ChannelSettingsPatch } from '@malipo/db';

interface InitiatorInput {
  initiatorName?: string;
  initiatorPassword?: string;
  certificatePem?: string;
}

/**
 * The initiator columns of a channel: the password sealed like the other channel secrets, the
 * certificate checked now (a pasted file that is not one fails here, not at the first reversal).
 * All three or none.
 */
export function sealInitiator(box: SecretBox, input: InitiatorInput): ChannelSettingsPatch {
  const given = [input.initiatorName, input.initiatorPassword, input.certificatePem];
  if (given.every((v) => v === undefined)) return {};
  if (given.some((v) => v === undefined)) {
    throw new ValidationError(
      'initiatorName, initiatorPassword and certificatePem go together',
      { field: 'initiatorPassword' },
      'CHANNEL.INITIATOR_INCOMPLETE',
    );
  }
  publicKeyOf(input.certificatePem as string);
  const { sealed, keyId } = box.seal({ initiatorPassword: input.initiatorPassword });
  return {
    initiatorName: input.initiatorName,
    initiatorSealed: sealed,
    initiatorKeyId: keyId,
    mpesaCertificatePem: input.certificatePem,
  };
}

/** Both within Daraja's 1..250 000 (the DTO checks that) and in order. */
export function checkLimits(min?: number | null, max?: number | null): void {
  if (typeof min === 'number' && typeof max === 'number' && min > max) {
    throw new ValidationError('minAmount must not exceed maxAmount', { field: 'minAmount' });
  }
}
