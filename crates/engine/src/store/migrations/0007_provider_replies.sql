-- Schema 7: what a provider's replies looked like.
-- `providers.noisy_replies` counts replies that carried PHP notices before their JSON (the
-- provider shows PHP errors to API callers; the JSON was still decoded), `noisy_reply_at` is
-- when the last one came: the provider's health shows both.
-- `api_calls.error_code` is the stable code of a failed call (`provider.invalid_key`,
-- `timeout`, `non_json`…), so the log says why, and a rejected key can raise its alert.
ALTER TABLE providers ADD COLUMN noisy_replies INTEGER NOT NULL DEFAULT 0;
ALTER TABLE providers ADD COLUMN noisy_reply_at INTEGER;
ALTER TABLE api_calls ADD COLUMN error_code TEXT;
