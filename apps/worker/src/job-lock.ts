import type { AppConfig } from '@malipo/common';

/**
 * A killed worker's job is taken back once its lock (JOB_LOCK_MS) has lapsed and the stalled-job
 * check has run. The check runs every quarter lock, so a job returns within 1.25 × JOB_LOCK_MS of
 * the kill (with the check every full lock it took up to twice that).
 */
export function jobLockOptions(config: Pick<AppConfig, 'JOB_LOCK_MS'>): {
  lockDuration: number;
  stalledInterval: number;
} {
  const lockDuration = config.JOB_LOCK_MS;
  return { lockDuration, stalledInterval: Math.max(250, Math.floor(lockDuration / 4)) };
}
