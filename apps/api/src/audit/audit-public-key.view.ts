import { ApiProperty } from '@nestjs/swagger';
import type { AuditPublicKeyView as View } from '@malipo/audit';

export class AuditPublicKeyView implements View {
  @ApiProperty({ enum: ['Ed25519'] }) algorithm!: 'Ed25519';
  @ApiProperty({
    description: 'First 16 hex of SHA-256 over the raw public key; each checkpoint names its key',
    example: '3f9c2a41d07b6e55',
  })
  keyId!: string;
  @ApiProperty({ description: 'The raw 32-byte Ed25519 public key, base64' }) publicKey!: string;
  @ApiProperty({ description: 'The same key as an SPKI PEM (for openssl)' }) publicKeyPem!: string;
}
