import { Type } from 'class-transformer';
import { IsInt, IsOptional, IsString, Max, Min, MinLength, validateSync } from 'class-validator';
import { plainToInstance } from 'class-transformer';
import { ConfigError } from '@malipo/common';

/** The simulator's own settings; it needs no database, Redis or Malipo secrets. */
export class SimConfig {
  @Type(() => Number) @IsInt() @Min(0) @Max(65535) SIM_PORT = 3100;
  @IsString() HOST = '127.0.0.1';
  @IsString() @MinLength(1) SIM_CONSUMER_KEY = 'malipo-sim-key';
  @IsString() @MinLength(1) SIM_CONSUMER_SECRET = 'malipo-sim-secret';
  /** Time from an accepted push until the customer "acts" and the callback goes out. */
  @Type(() => Number) @IsInt() @Min(0) SIM_CALLBACK_DELAY_MS = 2_000;
  /** When the late callback of scenario 9997 is delivered, counted from the push. */
  @Type(() => Number) @IsInt() @Min(0) SIM_LATE_CALLBACK_MS = 150_000;
  /** Access token lifetime (Daraja: 3599). */
  @Type(() => Number) @IsInt() @Min(1) SIM_TOKEN_TTL_SECONDS = 3_599;
  @IsOptional() @IsString() LOG_LEVEL = 'info';
}

export function loadSimConfig(env: Record<string, unknown>): SimConfig {
  const plain = Object.fromEntries(Object.entries(env).filter(([, v]) => v !== ''));
  const config = plainToInstance(SimConfig, plain);
  const errors = validateSync(config, { forbidUnknownValues: false });
  if (errors.length) {
    throw new ConfigError(`invalid configuration: ${errors.map((e) => e.property).join(', ')}`);
  }
  return config;
}
