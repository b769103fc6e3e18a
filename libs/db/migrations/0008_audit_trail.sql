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
--> statement-breakpoint
-- The application's role (DB_APP_ROLE=malipo_app): it may insert and read audit rows but never
-- update or delete them, so an UPDATE slipped into the app fails on privileges before the trigger.
-- Roles belong to the cluster, not the database, and many test databases migrate at once on one
-- cluster: two CREATE ROLEs racing end in duplicate_object or unique_violation, both mean "exists".
DO $$
BEGIN
	IF NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = 'malipo_app') THEN
		CREATE ROLE "malipo_app" NOLOGIN;
	END IF;
EXCEPTION WHEN duplicate_object OR unique_violation THEN
	NULL;
END
$$;
--> statement-breakpoint
-- Grants the app role what it needs on every table of this schema: all of SELECT, INSERT, UPDATE,
-- DELETE, except append-only tables (the audit_refuse_change trigger, or named below), which get
-- SELECT and INSERT only. Idempotent; every later migration that creates a table ends with
-- `SELECT malipo_grant_app_role();` (test/integration/db/app-role.int-spec.ts checks every table).
CREATE OR REPLACE FUNCTION "malipo_grant_app_role"() RETURNS void LANGUAGE plpgsql AS $$
DECLARE
	t record;
BEGIN
	EXECUTE format('GRANT USAGE ON SCHEMA %I TO malipo_app', current_schema());
	FOR t IN
		SELECT c.oid::regclass AS rel,
			c.relname IN ('audit_entries', 'audit_checkpoints') OR EXISTS (
				SELECT 1 FROM pg_trigger tg JOIN pg_proc p ON p.oid = tg.tgfoid
				WHERE tg.tgrelid = c.oid AND p.proname = 'audit_refuse_change'
			) AS append_only
		FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
		WHERE n.nspname = current_schema() AND c.relkind IN ('r', 'p')
	LOOP
		IF t.append_only THEN
			EXECUTE format('REVOKE ALL ON %s FROM malipo_app', t.rel);
			EXECUTE format('GRANT SELECT, INSERT ON %s TO malipo_app', t.rel);
		ELSE
			EXECUTE format('GRANT SELECT, INSERT, UPDATE, DELETE ON %s TO malipo_app', t.rel);
		END IF;
	END LOOP;
	EXECUTE format('GRANT USAGE, SELECT ON ALL SEQUENCES IN SCHEMA %I TO malipo_app', current_schema());
END
$$;
--> statement-breakpoint
SELECT "malipo_grant_app_role"();
--> statement-breakpoint
-- A table a later migration creates without calling the function above can still be read and
-- appended to, never changed: the safe default for an audit table, a loud failure for any other.
ALTER DEFAULT PRIVILEGES IN SCHEMA public GRANT SELECT, INSERT ON TABLES TO "malipo_app";
--> statement-breakpoint
ALTER DEFAULT PRIVILEGES IN SCHEMA public GRANT USAGE, SELECT ON SEQUENCES TO "malipo_app";
