import { Controller, Get } from '@nestjs/common';
import { ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { AuditKeyring } from '@malipo/audit';
import { Public } from '@malipo/common';
import { AuditPublicKeyView } from './audit-public-key.view';

/** The key that verifies audit checkpoints: public by nature, so no API key is needed to read it. */
@ApiTags('audit')
@Public()
@Controller('v1/audit/public-key')
export class AuditKeyController {
  constructor(private readonly keyring: AuditKeyring) {}

  @Get()
  @ApiOperation({
    summary: 'The Ed25519 public key that verifies audit checkpoints',
    description:
      'Unauthenticated: it is a public key. A shop verifies each `audit.checkpoint` webhook (or the ' +
      'checkpoint in its daily report) against it: the signature covers the RFC 8785 JSON of ' +
      '{ at, chainId, headHash, keyId, seq } (docs/audit.md, Checkpoints).',
    security: [],
  })
  @ApiOkResponse({ type: AuditPublicKeyView })
  publicKey(): AuditPublicKeyView {
    return this.keyring.publicKeyView();
  }
}
