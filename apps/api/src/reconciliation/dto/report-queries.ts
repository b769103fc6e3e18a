import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsIn, IsOptional, IsString, IsUUID, Matches, MaxLength } from 'class-validator';
import { IsDay, IsNotAfter } from '@malipo/common';
import { PAYMENT_STATUSES } from '@malipo/payments';

export class DailyReportQuery {
  @ApiProperty({ example: '2026-11-21', description: 'A day in East Africa Time' })
  @IsDay()
  date!: string;
}

export class DayRangeQuery {
  @ApiProperty({ example: '2026-11-01', description: 'First day, inclusive (EAT)' })
  @IsDay()
  @IsNotAfter('to')
  from!: string;
  @ApiProperty({ example: '2026-11-30', description: 'Last day, inclusive (EAT)' })
  @IsDay()
  to!: string;
}

export class ExportPaymentsQuery extends DayRangeQuery {
  @ApiPropertyOptional({ enum: PAYMENT_STATUSES })
  @IsOptional()
  @IsIn(PAYMENT_STATUSES)
  status?: string;
  @ApiPropertyOptional({ format: 'uuid', description: 'One till (owners and ops)' })
  @IsOptional()
  @IsUUID()
  terminalId?: string;
}

export class StartRunDto extends DayRangeQuery {
  @ApiPropertyOptional({ description: 'One tenant; omit for every tenant' })
  @IsOptional()
  @IsUUID()
  tenantId?: string;
}

const STATES = ['open', 'acknowledged', 'resolved'];
const KINDS = [
  'late_success',
  'paid_after_cancel',
  'amount_mismatch',
  'checkout_mismatch',
  'duplicate_receipt',
  'double_payment',
  'orphan_callback',
  'unconfirmed_outcome',
  'reversal_failed',
  'reversal_unanswered',
  'verify_mismatch',
  'account_reversal_shortfall',
  'ledger_balance_mismatch',
  'ledger_deposit_unposted',
  'ledger_journal_unbalanced',
  'audit_chain_broken',
];

export class ListDiscrepanciesQuery {
  @ApiPropertyOptional({ enum: STATES }) @IsOptional() @IsIn(STATES) state?: string;
  @ApiPropertyOptional({ enum: KINDS }) @IsOptional() @IsIn(KINDS) kind?: string;
  @ApiPropertyOptional() @IsOptional() @IsUUID() paymentId?: string;
  @ApiPropertyOptional({ description: 'First day, inclusive (EAT)' })
  @IsOptional()
  @IsDay()
  @IsNotAfter('to')
  from?: string;
  @ApiPropertyOptional({ description: 'Last day, inclusive (EAT)' })
  @IsOptional()
  @IsDay()
  to?: string;
  @ApiPropertyOptional({ default: 100, maximum: 500 })
  @IsOptional()
  @Matches(/^\d{1,3}$/)
  limit?: string;
}

export class ResolveDiscrepancyDto {
  @ApiProperty({ example: 'Customer refunded in cash; receipt QK1ABCDEF2 kept' })
  @IsString()
  @MaxLength(1000)
  note!: string;
}

export class AcknowledgeDiscrepancyDto {
  @ApiPropertyOptional() @IsOptional() @IsString() @MaxLength(1000) note?: string;
}
