-- The repository a webhook delivery's payload named (its first URL for it), recorded with the delivery.
ALTER TABLE webhook_deliveries ADD COLUMN repository TEXT;
