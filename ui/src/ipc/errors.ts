// Errors from Rust arrive as `{ code, message }` (architecture.md §6), `code` a stable dotted
// string such as `provider.not_found`. The UI translates the code and never parses the message.
import type { i18n as I18n } from "i18next";

import type { IpcError } from "./bindings";

/** The code for failures of the IPC itself (Tauri rejects with a plain string). */
export const IPC_FAILED = "ipc.failed";

/** An error the UI can translate; `field` names the form field it is about, if any. */
export interface UiError {
  code: string;
  message: string;
  field?: string;
}

function isIpcError(value: unknown): value is IpcError {
  return (
    typeof value === "object" &&
    value !== null &&
    typeof (value as { code?: unknown }).code === "string" &&
    typeof (value as { message?: unknown }).message === "string"
  );
}

/**
 * Turns whatever a command rejected with into a `UiError`. Tauri itself rejects with a plain
 * string for framework failures (unknown command, denied permission); those become
 * `ipc.failed`.
 */
export function toUiError(error: unknown): UiError {
  if (isIpcError(error)) {
    const field = typeof error.field === "string" ? toCamel(error.field) : undefined;
    return field === undefined
      ? { code: error.code, message: error.message }
      : { code: error.code, message: error.message, field };
  }
  const message = error instanceof Error ? error.message : String(error);
  return { code: IPC_FAILED, message };
}

/** The translation of an error's code, or a generic text naming the code when none exists. */
export function errorText(i18n: I18n, error: UiError): string {
  const key = `errors.${error.code}`;
  // Codes come from Rust at run time, so the key is checked here rather than by the compiler;
  // English is the reference (Arabic has the same keys, a test checks it).
  if (typeof i18n.getResource("en", "translation", key) !== "string") {
    return i18n.t("errors.unknown", { code: error.code });
  }
  const translate = i18n.t as unknown as (key: string) => string;
  return translate(key);
}

/** `display_name` → `displayName` (engine field names are snake case, the forms camel case). */
function toCamel(name: string): string {
  return name.replace(/_([a-z])/g, (_, c: string) => c.toUpperCase());
}
