// Moving between screens from inside a screen (e.g. "Order" on a catalog row).
import { createContext, useContext } from "react";

import type { ScreenId } from "./screens";

/** Where to go; for New order the service to preselect (its local id), for Orders the
 *  order whose detail opens. */
export interface Destination {
  screen: ScreenId;
  serviceRef?: number | undefined;
  orderId?: number | undefined;
  /** For Orders: only this customer's orders (local id). */
  customerId?: number | undefined;
}

export const NavigationContext = createContext<(to: Destination) => void>(() => {});

/** Navigates to another screen. */
export function useNavigate(): (to: Destination) => void {
  return useContext(NavigationContext);
}
