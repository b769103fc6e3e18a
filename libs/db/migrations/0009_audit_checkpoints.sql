-- Issue 18: signed checkpoints of the audit chains. Each row says "chain <chain_id> had head
-- <head_hash> after entry <seq>", signed with Ed25519 (libs/audit/src/checkpoint.ts). Append-only
-- like audit_entries: a copy sits with the shop (the audit.checkpoint webhook), so a rewritten
-- row would show, but the trigger and grants stop it from being rewritten here in the first place.
CREATE TABLE "audit_checkpoints" (
	"chain_id" uuid NOT NULL,
	"seq" bigint NOT NULL,
	"head_hash" bytea NOT NULL,
	"at" timestamp with time zone NOT NULL,
	"key_id" text NOT NULL,
	"signature" bytea NOT NULL,
	CONSTRAINT "audit_checkpoints_pk" PRIMARY KEY ("chain_id", "seq")
);
--> statement-breakpoint
CREATE TRIGGER "audit_checkpoints_append_only" BEFORE UPDATE OR DELETE ON "audit_checkpoints"
	FOR EACH ROW EXECUTE FUNCTION "audit_refuse_change"();
--> statement-breakpoint
CREATE TRIGGER "audit_checkpoints_no_truncate" BEFORE TRUNCATE ON "audit_checkpoints"
	FOR EACH STATEMENT EXECUTE FUNCTION "audit_refuse_change"();
--> statement-breakpoint
REVOKE UPDATE, DELETE, TRUNCATE ON "audit_checkpoints" FROM PUBLIC;
--> statement-breakpoint
-- The app role (DB_APP_ROLE) may read and add checkpoints, never change them (see 0008).
SELECT "malipo_grant_app_role"();
