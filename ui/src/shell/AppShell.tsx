// The window's frame: navigation at the inline start, a header and the current screen.
import { useState } from "react";
import { useTranslation } from "react-i18next";

import { CatalogScreen } from "../catalog/CatalogScreen";
import { CustomersScreen } from "../customers/CustomersScreen";
import { formatLongDate } from "../lib/format";
import { MassOrderScreen } from "../orders/MassOrderScreen";
import { NewOrderScreen } from "../orders/NewOrderScreen";
import { OrdersScreen } from "../orders/OrdersScreen";
import { AlertsScreen } from "../alerts/AlertsScreen";
import { usePreferences } from "../preferences/PreferencesProvider";
import { DashboardScreen } from "../providers/DashboardScreen";
import { ProvidersScreen } from "../providers/ProvidersScreen";
import { SchedulesScreen } from "../schedules/SchedulesScreen";
import { Settings } from "../screens/Settings";
import { CalendarIcon } from "./icons";
import { NavigationContext } from "./navigation";
import type { Destination } from "./navigation";
import { Sidebar } from "./Sidebar";

function Screen({ to }: { to: Destination }) {
  switch (to.screen) {
    case "settings":
      return <Settings />;
    case "dashboard":
      return <DashboardScreen />;
    case "providers":
      return <ProvidersScreen />;
    case "catalog":
      return <CatalogScreen />;
    case "newOrder":
      return <NewOrderScreen serviceRef={to.serviceRef} />;
    case "massOrder":
      return <MassOrderScreen />;
    case "orders":
      return <OrdersScreen orderId={to.orderId} customerId={to.customerId} />;
    case "schedules":
      return <SchedulesScreen />;
    case "customers":
      return <CustomersScreen />;
    case "alerts":
      return <AlertsScreen />;
  }
}

export function AppShell({ today = new Date() }: { today?: Date }) {
  const { t } = useTranslation();
  const { language } = usePreferences();
  const [{ to, visit }, setState] = useState<{ to: Destination; visit: number }>({
    to: { screen: "dashboard" },
    visit: 0,
  });
  const screen = to.screen;
  const navigate = (next: Destination) => {
    setState((s) => ({ to: next, visit: s.visit + 1 }));
  };

  return (
    <NavigationContext.Provider value={navigate}>
      <div className="flex h-screen overflow-hidden bg-canvas text-fg">
        <Sidebar
          current={screen}
          onNavigate={(id) => {
            navigate({ screen: id });
          }}
        />
        <div className="flex min-w-0 flex-1 flex-col">
          <header className="flex h-14 shrink-0 items-center justify-between gap-4 border-b border-line bg-panel px-6">
            <h1 data-testid="screen-title" className="truncate text-base font-semibold text-fg">
              {t(`nav.${screen}`)}
            </h1>
            <div className="flex items-center gap-2 text-xs text-muted">
              <CalendarIcon width={15} height={15} />
              <time dateTime={today.toISOString().slice(0, 10)}>
                {formatLongDate(today, language)}
              </time>
            </div>
          </header>
          <main
            data-testid="screen"
            data-screen={screen}
            className="min-h-0 flex-1 overflow-auto px-6 py-5"
          >
            {/* Every visit starts the screen afresh (a new order form has a new idempotency key). */}
            <Screen key={visit} to={to} />
          </main>
        </div>
      </div>
    </NavigationContext.Provider>
  );
}
