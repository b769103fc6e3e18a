import { createScratchDatabase, dropScratchDatabase } from '../../libs/db/src/scratch-database';
import { ADMIN_DATABASE_URL, uniqueSuffix } from './test-env';

/**
 * A migrated database of this test file's own, made the process's DATABASE_URL so that apps
 * booted afterwards use it. For files that add triggers or count every write: nothing another
 * file does can show up in their figures.
 */
export async function useOwnDatabase(): Promise<{ url: string; drop: () => Promise<void> }> {
  const name = `malipo_${uniqueSuffix()}_file_test`;
  const url = await createScratchDatabase(ADMIN_DATABASE_URL, name);
  process.env.DATABASE_URL = url;
  return { url, drop: () => dropScratchDatabase(ADMIN_DATABASE_URL, name) };
}
