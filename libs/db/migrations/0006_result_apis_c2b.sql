CREATE TABLE "daraja_inbox" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"tenant_id" uuid NOT NULL,
	"kind" text NOT NULL,
	"subject_id" uuid NOT NULL,
	"received_at" timestamp with time zone DEFAULT now() NOT NULL,
	"source_ip" text,
	"raw_body" text NOT NULL,
	"state" text DEFAULT 'received' NOT NULL,
	"processed_at" timestamp with time zone,
	"process_attempts" integer DEFAULT 0 NOT NULL,
	"last_error" text
);
--> statement-breakpoint
CREATE TABLE "daraja_requests" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"tenant_id" uuid NOT NULL,
	"channel_id" uuid NOT NULL,
	"kind" text NOT NULL,
	"payment_id" uuid,
	"reversal_id" uuid,
	"state" text DEFAULT 'sending' NOT NULL,
	"conversation_id" text,
	"originator_conversation_id" text,
	"request" jsonb,
	"result_code" text,
	"result_desc" text,
	"result" jsonb,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"completed_at" timestamp with time zone
);
--> statement-breakpoint
CREATE TABLE "incoming_payments" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"tenant_id" uuid NOT NULL,
	"channel_id" uuid NOT NULL,
	"receipt" text NOT NULL,
	"amount" integer NOT NULL,
	"bill_ref" text NOT NULL,
	"msisdn" text NOT NULL,
	"payer_name" text DEFAULT '' NOT NULL,
	"transacted_at" timestamp with time zone NOT NULL,
	"source" text NOT NULL,
	"status" text NOT NULL,
	"payment_id" uuid,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"settled_at" timestamp with time zone
);
--> statement-breakpoint
CREATE TABLE "reversals" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"tenant_id" uuid NOT NULL,
	"payment_id" uuid NOT NULL,
	"state" text NOT NULL,
	"reason" text NOT NULL,
	"amount" integer NOT NULL,
	"receipt" text NOT NULL,
	"requested_by" text NOT NULL,
	"decided_by" text,
	"decided_role" text,
	"decision_note" text,
	"decided_at" timestamp with time zone,
	"reversal_receipt" text,
	"result_code" text,
	"result_desc" text,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
ALTER TABLE "channels" ADD COLUMN "initiator_name" text;--> statement-breakpoint
ALTER TABLE "channels" ADD COLUMN "initiator_sealed" text;--> statement-breakpoint
ALTER TABLE "channels" ADD COLUMN "initiator_key_id" text;--> statement-breakpoint
ALTER TABLE "channels" ADD COLUMN "mpesa_certificate_pem" text;--> statement-breakpoint
ALTER TABLE "channels" ADD COLUMN "min_amount" integer;--> statement-breakpoint
ALTER TABLE "channels" ADD COLUMN "max_amount" integer;--> statement-breakpoint
ALTER TABLE "channels" ADD COLUMN "c2b_registered_at" timestamp with time zone;--> statement-breakpoint
ALTER TABLE "tenants" ADD COLUMN "reversal_approvers" text DEFAULT 'owner_or_ops' NOT NULL;--> statement-breakpoint
ALTER TABLE "daraja_inbox" ADD CONSTRAINT "daraja_inbox_tenant_id_tenants_id_fk" FOREIGN KEY ("tenant_id") REFERENCES "public"."tenants"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "daraja_requests" ADD CONSTRAINT "daraja_requests_tenant_id_tenants_id_fk" FOREIGN KEY ("tenant_id") REFERENCES "public"."tenants"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "daraja_requests" ADD CONSTRAINT "daraja_requests_channel_id_channels_id_fk" FOREIGN KEY ("channel_id") REFERENCES "public"."channels"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "daraja_requests" ADD CONSTRAINT "daraja_requests_payment_id_payments_id_fk" FOREIGN KEY ("payment_id") REFERENCES "public"."payments"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "incoming_payments" ADD CONSTRAINT "incoming_payments_tenant_id_tenants_id_fk" FOREIGN KEY ("tenant_id") REFERENCES "public"."tenants"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "incoming_payments" ADD CONSTRAINT "incoming_payments_channel_id_channels_id_fk" FOREIGN KEY ("channel_id") REFERENCES "public"."channels"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "incoming_payments" ADD CONSTRAINT "incoming_payments_payment_id_payments_id_fk" FOREIGN KEY ("payment_id") REFERENCES "public"."payments"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "reversals" ADD CONSTRAINT "reversals_tenant_id_tenants_id_fk" FOREIGN KEY ("tenant_id") REFERENCES "public"."tenants"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "reversals" ADD CONSTRAINT "reversals_payment_id_payments_id_fk" FOREIGN KEY ("payment_id") REFERENCES "public"."payments"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "daraja_inbox_state_idx" ON "daraja_inbox" USING btree ("state","received_at");--> statement-breakpoint
CREATE UNIQUE INDEX "daraja_requests_conversation_uq" ON "daraja_requests" USING btree ("conversation_id") WHERE conversation_id is not null;--> statement-breakpoint
CREATE INDEX "daraja_requests_payment_idx" ON "daraja_requests" USING btree ("tenant_id","payment_id");--> statement-breakpoint
CREATE UNIQUE INDEX "incoming_payments_receipt_uq" ON "incoming_payments" USING btree (upper("receipt"));--> statement-breakpoint
CREATE INDEX "incoming_payments_tenant_idx" ON "incoming_payments" USING btree ("tenant_id","created_at","id");--> statement-breakpoint
CREATE INDEX "incoming_payments_tenant_status_idx" ON "incoming_payments" USING btree ("tenant_id","status");--> statement-breakpoint
CREATE UNIQUE INDEX "reversals_live_uq" ON "reversals" USING btree ("payment_id") WHERE state not in ('rejected', 'failed');--> statement-breakpoint
CREATE INDEX "reversals_tenant_idx" ON "reversals" USING btree ("tenant_id","created_at");