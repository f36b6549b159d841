// Idempotency keys: one per order (or batch), so a retried placement is never placed twice.

/** A fresh idempotency key (a form, or a batch, makes one when it opens). */
export function newIdempotencyKey(): string {
  return crypto.randomUUID();
}
