import { Type } from 'class-transformer';
import {
  ArrayMaxSize,
  IsArray,
  IsBoolean,
  IsIn,
  IsInt,
  IsNumber,
  IsOptional,
  IsString,
  Matches,
  Max,
  Min,
  MinLength,
} from 'class-validator';
import { SCENARIOS } from './scenarios';

export class FaultsDto {
  @IsOptional() @IsInt() @Min(0) @Max(120_000) latencyMs?: number;
  @IsOptional() @IsInt() @Min(0) @Max(120_000) pushAnswerDelayMs?: number;
  @IsOptional() @IsNumber() @Min(0) @Max(1) push500Rate?: number;
  @IsOptional() @IsIn(['before_prompt', 'after_prompt']) push500Mode?:
    'before_prompt' | 'after_prompt';
  @IsOptional() @IsNumber() @Min(0) @Max(1) query500Rate?: number;
  @IsOptional() @IsNumber() @Min(0) @Max(1) query429Rate?: number;
  @IsOptional() @IsNumber() @Min(0) @Max(1) invalidTokenRate?: number;
  @IsOptional() @IsNumber() @Min(0) @Max(1) callbackDropRate?: number;
  @IsOptional() @IsNumber() @Min(0) @Max(1) callbackDuplicateRate?: number;
  @IsOptional() @IsInt() @Min(0) @Max(600_000) callbackReorderWindowMs?: number;
  @IsOptional() @IsInt() seed?: number;
}

export class SettingsDto {
  @IsOptional() @IsInt() @Min(0) callbackDelayMs?: number;
  @IsOptional() @IsInt() @Min(0) lateCallbackMs?: number;
  @IsOptional() @IsInt() @Min(1) tokenTtlSeconds?: number;
  @IsOptional() @IsIn(['string', 'number']) expiresInType?: 'string' | 'number';
  @IsOptional() @IsIn(['supersede', 'reject']) concurrentPushPolicy?: 'supersede' | 'reject';
  @IsOptional() @IsIn(['callback_1025', 'reject']) longAccountReference?:
    'callback_1025' | 'reject';
}

export class ScenarioOverrideDto {
  @IsIn(Object.keys(SCENARIOS)) scenario!: keyof typeof SCENARIOS;
  /** Optional custom result on top of the named scenario, e.g. 17 or "SFC_IC0003". */
  @IsOptional() @Matches(/^[A-Za-z0-9_.]{1,20}$/) resultCode?: string;
  @IsOptional() @IsString() resultDesc?: string;
  @IsOptional() @IsIn(['once', 'never', 'three_times', 'late']) delivery?:
    'once' | 'never' | 'three_times' | 'late';
  @IsOptional() @IsBoolean() hold?: boolean;
}

export class AccountDto {
  @Matches(/^\d{5,7}$/) shortcode!: string;
  @IsIn(['paybill', 'till']) kind!: 'paybill' | 'till';
  @IsString() @MinLength(1) passkey!: string;
  @IsOptional()
  @IsArray()
  @ArrayMaxSize(100)
  @Matches(/^\d{5,8}$/, { each: true })
  tills?: string[];
}

export class CredentialsDto {
  @IsString() @MinLength(1) consumerKey!: string;
  @IsString() @MinLength(1) consumerSecret!: string;
}

export class CompleteDto {
  @IsOptional() @Matches(/^[A-Za-z0-9_.]{1,20}$/) resultCode?: string;
  @IsOptional() @IsString() resultDesc?: string;
}

export class RecordQueryDto {
  @IsOptional() @IsString() kind?: string;
  @IsOptional() @IsString() phone?: string;
  @IsOptional() @IsString() checkoutRequestId?: string;
  @IsOptional() @IsString() outcome?: string;
  @IsOptional() @Type(() => Number) @IsInt() status?: number;
}
