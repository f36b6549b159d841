// The engine's views under the names the screens share (the generated bindings carry a
// serde direction in each name).
import type { OrderRowView_Serialize, OrderView_Serialize, ServiceView_Serialize } from "./bindings";

/** One service of a provider's catalog. */
export type ServiceView = ServiceView_Serialize;

/** One order with everything the result and the drawer show. */
export type OrderView = OrderView_Serialize;

/** One order as a row of the Orders list. */
export type OrderRow = OrderRowView_Serialize;
