import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsIn, IsOptional, IsString, Length, Matches } from 'class-validator';
import type { ReversalRow } from '@malipo/payments';

export class CreateReversalDto {
  @ApiProperty({ minLength: 2, maxLength: 100, example: 'Customer returned the goods' })
  @IsString()
  @Length(2, 100)
  @Matches(/\S/, { message: 'reason must not be blank' })
  reason!: string;
}

export class DecideReversalDto {
  @ApiPropertyOptional({ maxLength: 200 })
  @IsOptional()
  @IsString()
  @Length(1, 200)
  note?: string;
}

export class ReversalView {
  @ApiProperty({ format: 'uuid' }) id!: string;
  @ApiProperty({ format: 'uuid' }) paymentId!: string;
  @ApiProperty({
    enum: ['pending_approval', 'rejected', 'sending', 'sent', 'unknown', 'succeeded', 'failed'],
  })
  state!: string;
  @ApiProperty() reason!: string;
  @ApiProperty({ description: 'Always the full amount of the receipt' }) amount!: number;
  @ApiProperty() receipt!: string;
  @ApiProperty({ description: 'Id of the key that asked' }) requestedBy!: string;
  @ApiPropertyOptional({ nullable: true, type: String }) decidedBy!: string | null;
  @ApiPropertyOptional({ nullable: true, type: String }) decidedRole!: string | null;
  @ApiPropertyOptional({ nullable: true, type: String }) decisionNote!: string | null;
  @ApiPropertyOptional({ nullable: true, type: String, format: 'date-time' })
  decidedAt!: string | null;
  @ApiPropertyOptional({ nullable: true, type: String }) reversalReceipt!: string | null;
  @ApiPropertyOptional({ nullable: true, type: String }) resultCode!: string | null;
  @ApiPropertyOptional({ nullable: true, type: String }) resultDesc!: string | null;
  @ApiProperty({ format: 'date-time' }) createdAt!: string;

  static of(r: ReversalRow): ReversalView {
    return {
      id: r.id,
      paymentId: r.paymentId,
      state: r.state,
      reason: r.reason,
      amount: r.amount,
      receipt: r.receipt,
      requestedBy: r.requestedBy,
      decidedBy: r.decidedBy,
      decidedRole: r.decidedRole,
      decisionNote: r.decisionNote,
      decidedAt: r.decidedAt?.toISOString() ?? null,
      reversalReceipt: r.reversalReceipt,
      resultCode: r.resultCode,
      resultDesc: r.resultDesc,
      createdAt: r.createdAt.toISOString(),
    };
  }
}

export class ReversalPolicyDto {
  @ApiProperty({
    enum: ['owner_or_ops', 'ops'],
    description:
      'Who approves a reversal an owner asked for: another owner key or ops, or ops only',
  })
  @IsIn(['owner_or_ops', 'ops'])
  approvers!: 'owner_or_ops' | 'ops';
}
