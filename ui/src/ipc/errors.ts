// Errors from the Rust side arrive as `{ code, message }` (design §6). The UI translates the
// code and never parses the message.
import type { ErrorCode, IpcError } from "./bindings";

/** Every code the UI can show: the engine's codes plus failures of the IPC itself. */
export type UiErrorCode = ErrorCode | "ipc_failed";

/** An error the UI can translate. */
export interface UiError {
  code: UiErrorCode;
  message: string;
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
 * `ipc_failed`.
 */
export function toUiError(error: unknown): UiError {
  if (isIpcError(error)) return { code: error.code, message: error.message };
  const message = error instanceof Error ? error.message : String(error);
  return { code: "ipc_failed", message };
}
