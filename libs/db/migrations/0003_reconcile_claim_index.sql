-- Custom SQL migration file, put your code below! ---- The reconciler's claim walks the channels that have due attempts and takes each one's oldest
-- (strict round-robin); this index serves both the walk and the per-channel pick.
CREATE INDEX IF NOT EXISTS "payment_attempts_channel_due_idx" ON "payment_attempts" USING btree ("channel_id", "next_query_at") WHERE state in ('accepted', 'unknown') or (state = 'final' and next_query_at is not null);
