-- M-Pesa receipts are case-insensitive identifiers: keep them upper-case, and make uniqueness
-- ignore case. If two rows differ only in case the index below fails, which is the point: that
-- pair is one receipt paid twice and needs an operator, not a silent rename.
UPDATE "payments" SET "receipt" = upper("receipt") WHERE "receipt" <> upper("receipt");--> statement-breakpoint
UPDATE "payment_attempts" SET "receipt" = upper("receipt") WHERE "receipt" <> upper("receipt");--> statement-breakpoint
DROP INDEX "payments_receipt_uq";--> statement-breakpoint
CREATE UNIQUE INDEX "payments_receipt_uq" ON "payments" USING btree (upper("receipt")) WHERE receipt is not null;
