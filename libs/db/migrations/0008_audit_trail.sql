-- Issue 18: the per-shop, append-only, hash-chained audit log (scheme in libs/audit/src/hash-chain.ts).
-- A shop's chain head lives on its tenants row, next to event_seq: the row lock that already orders a
-- shop's changes orders its audit entries too (no second lock).
ALTER TABLE "tenants" ADD COLUMN "audit_seq" bigint DEFAULT 0 NOT NULL;
--> statement-breakpoint
-- Null means "still at genesis": sha256('malipo-audit-genesis-v1:' || id).
ALTER TABLE "tenants" ADD COLUMN "audit_head" bytea;
--> statement-breakpoint
-- Platform-level actions (not any one shop's) chain here, one row, chain id 00000000-0000-0000-0000-000000000000.
CREATE TABLE "audit_platform_head" (
	"id" boolean PRIMARY KEY DEFAULT true NOT NULL CHECK ("id"),
	"audit_seq" bigint DEFAULT 0 NOT NULL,
	"audit_head" bytea
);
--> statement-breakpoint
INSERT INTO "audit_platform_head" ("id") VALUES (true);
--> statement-breakpoint
CREATE TABLE "audit_entries" (
	"chain_id" uuid NOT NULL,
	"seq" bigint NOT NULL,
	"at" timestamp with time zone NOT NULL,
	"actor" jsonb NOT NULL,
	"action" text NOT NULL,
	"subject" jsonb NOT NULL,
	"data" jsonb NOT NULL,
	"leaf_hash" bytea NOT NULL,
	"chain_hash" bytea NOT NULL,
	CONSTRAINT "audit_entries_pk" PRIMARY KEY ("chain_id", "seq")
);
--> statement-breakpoint
CREATE INDEX "audit_entries_action_idx" ON "audit_entries" ("chain_id", "action", "seq");
--> statement-breakpoint
CREATE FUNCTION "audit_refuse_change"() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
	RAISE EXCEPTION 'audit rows are append-only (% on %)', TG_OP, TG_TABLE_NAME
		USING ERRCODE = 'insufficient_privilege';
END
$$;
--> statement-breakpoint
CREATE TRIGGER "audit_entries_append_only" BEFORE UPDATE OR DELETE ON "audit_entries"
	FOR EACH ROW EXECUTE FUNCTION "audit_refuse_change"();
--> statement-breakpoint
CREATE TRIGGER "audit_entries_no_truncate" BEFORE TRUNCATE ON "audit_entries"
	FOR EACH STATEMENT EXECUTE FUNCTION "audit_refuse_change"();
--> statement-breakpoint
REVOKE UPDATE, DELETE, TRUNCATE ON "audit_entries" FROM PUBLIC;
--> statement-breakpoint
-- The till's cashier (name or id) as the POS sent it on POST /v1/payments, trimmed, at most 64.
ALTER TABLE "payments" ADD COLUMN "cashier" text;
