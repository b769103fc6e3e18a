import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import type { AdjustmentRow } from '@malipo/payments';

export class AccountViewDto {
  @ApiProperty({ format: 'uuid' }) id!: string;
  @ApiProperty({ example: 'AC7K2M9QXD', description: 'AccountReference of deposits' })
  code!: string;
  @ApiProperty() name!: string;
  @ApiPropertyOptional({ nullable: true, type: String, description: 'Masked for tills' })
  phone!: string | null;
  @ApiPropertyOptional({ nullable: true, type: String }) externalRef!: string | null;
  @ApiProperty({ enum: ['active', 'closed'] }) status!: 'active' | 'closed';
  @ApiProperty({ description: 'Whole KES' }) balance!: number;
  @ApiProperty({ format: 'date-time' }) createdAt!: string;
}

export class AccountPageDto {
  @ApiProperty({ type: [AccountViewDto] }) data!: AccountViewDto[];
  @ApiPropertyOptional({ nullable: true, type: String }) nextCursor!: string | null;
}

export class StatementEntryDto {
  @ApiProperty() id!: string;
  @ApiProperty({ enum: ['DEPOSIT', 'CHARGE', 'REVERSAL', 'ADJUSTMENT'] }) type!: string;
  @ApiProperty({ description: 'Signed whole KES: + credit, - debit' }) amount!: number;
  @ApiProperty() balanceBefore!: number;
  @ApiProperty() balanceAfter!: number;
  @ApiPropertyOptional({ nullable: true, type: String }) paymentId!: string | null;
  @ApiPropertyOptional({ nullable: true, type: String }) orderRef!: string | null;
  @ApiPropertyOptional({ nullable: true, type: String }) receipt!: string | null;
  @ApiProperty({ format: 'uuid' }) journalId!: string;
  @ApiProperty({ format: 'date-time' }) at!: string;
}

export class StatementPageDto {
  @ApiProperty({ type: [StatementEntryDto] }) data!: StatementEntryDto[];
  @ApiPropertyOptional({ nullable: true, type: String }) nextCursor!: string | null;
}

export class ChargeViewDto {
  @ApiProperty({ format: 'uuid' }) journalId!: string;
  @ApiProperty({ format: 'uuid' }) accountId!: string;
  @ApiProperty() amount!: number;
  @ApiProperty() orderRef!: string;
  @ApiProperty() balanceBefore!: number;
  @ApiProperty() balanceAfter!: number;
  @ApiProperty({ format: 'date-time' }) at!: string;
}

export class AdjustmentViewDto {
  @ApiProperty({ format: 'uuid' }) id!: string;
  @ApiProperty({ format: 'uuid' }) accountId!: string;
  @ApiProperty() amount!: number;
  @ApiProperty() reason!: string;
  @ApiProperty({ enum: ['pending_approval', 'approved', 'rejected'] }) state!: string;
  @ApiProperty({ description: 'Id of the key that asked' }) requestedBy!: string;
  @ApiPropertyOptional({ nullable: true, type: String }) decidedBy!: string | null;
  @ApiPropertyOptional({ nullable: true, type: String }) decisionNote!: string | null;
  @ApiPropertyOptional({ nullable: true, type: String, format: 'date-time' })
  decidedAt!: string | null;
  @ApiPropertyOptional({ nullable: true, type: String, format: 'uuid' }) journalId!: string | null;
  @ApiProperty({ format: 'date-time' }) createdAt!: string;

  static of(r: AdjustmentRow): AdjustmentViewDto {
    return {
      id: r.id,
      accountId: r.accountId,
      amount: r.amount,
      reason: r.reason,
      state: r.state,
      requestedBy: r.requestedBy,
      decidedBy: r.decidedBy,
      decisionNote: r.decisionNote,
      decidedAt: r.decidedAt?.toISOString() ?? null,
      journalId: r.journalId,
      createdAt: r.createdAt.toISOString(),
    };
  }
}
