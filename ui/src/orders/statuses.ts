// Order statuses as the engine defines them, generated into the bindings (`OrderStatus`,
// `ORDER_STATUSES`). The chips, the badge tones and the groups the screens use derive from
// them here: a status added in Rust fails the type check until it has a tone.
import { ORDER_STATUSES } from "../ipc/bindings";
import type { OrderStatus } from "../ipc/bindings";

export type { OrderStatus };

type Tone = "success" | "danger" | "warning" | "neutral" | "accent";
type StatusInfo = (typeof ORDER_STATUSES)[number];

/** Every status's badge tone (a `Record` over the generated union: none can be forgotten). */
export const STATUS_TONE: Record<OrderStatus, Tone> = {
  submitting: "warning",
  unknown: "warning",
  not_sent: "danger",
  rejected: "danger",
  not_placed: "neutral",
  pending: "accent",
  processing: "accent",
  in_progress: "accent",
  active: "accent",
  completed: "success",
  partial: "warning",
  canceled: "neutral",
  refunded: "neutral",
};

const statuses = (keep: (s: StatusInfo) => boolean): OrderStatus[] =>
  ORDER_STATUSES.filter(keep).map((s) => s.status);

/** Placed at the provider and not finished. */
export const OPEN_STATUSES: readonly OrderStatus[] = statuses((s) => s.open);

/** Placed (open or finished at the provider). */
export const PLACED_STATUSES: readonly OrderStatus[] = statuses((s) => s.open || s.terminal);

/** Not placed, or not known to be: the order's last error still explains it. */
export const UNSETTLED_STATUSES: readonly OrderStatus[] = statuses((s) => !s.open && !s.terminal);

/** The status chips, in the order a reseller reads them: placed first (open, then finished),
 *  then the ones that need a look. */
export const STATUSES: readonly OrderStatus[] = [...PLACED_STATUSES, ...UNSETTLED_STATUSES];

/** Whether a status text from the engine is a known status. */
export function isOrderStatus(text: string): text is OrderStatus {
  return ORDER_STATUSES.some((s) => s.status === text);
}
