// The screens of the shell, in navigation order.
import type { ComponentType, SVGProps } from "react";

import {
  AlertsIcon,
  CatalogIcon,
  CustomersIcon,
  DashboardIcon,
  MassOrderIcon,
  NewOrderIcon,
  OrdersIcon,
  ProvidersIcon,
  SchedulesIcon,
  SettingsIcon,
} from "./icons";

/** A screen's id; also its translation key under `nav.` and `screens.`. */
export type ScreenId =
  | "dashboard"
  | "providers"
  | "catalog"
  | "newOrder"
  | "massOrder"
  | "orders"
  | "schedules"
  | "customers"
  | "alerts"
  | "settings";

/** A navigation entry. */
export interface ScreenEntry {
  id: ScreenId;
  icon: ComponentType<SVGProps<SVGSVGElement>>;
}

/** Every screen, in the order the navigation lists them. */
export const SCREENS: readonly ScreenEntry[] = [
  { id: "dashboard", icon: DashboardIcon },
  { id: "providers", icon: ProvidersIcon },
  { id: "catalog", icon: CatalogIcon },
  { id: "newOrder", icon: NewOrderIcon },
  { id: "massOrder", icon: MassOrderIcon },
  { id: "orders", icon: OrdersIcon },
  { id: "schedules", icon: SchedulesIcon },
  { id: "customers", icon: CustomersIcon },
  { id: "alerts", icon: AlertsIcon },
  { id: "settings", icon: SettingsIcon },
];
