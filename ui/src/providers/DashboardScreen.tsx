// Dashboard: the first-start welcome until a provider exists, then the dashboard.
import { useTranslation } from "react-i18next";

import { ErrorBanner, Loading } from "../components/ui";
import { toUiError } from "../ipc/errors";
import { Dashboard } from "../dashboard/Dashboard";
import { useNavigate } from "../shell/navigation";
import { useProviders } from "./queries";
import { Welcome } from "./Welcome";

export function DashboardScreen() {
  useTranslation();
  const providers = useProviders();
  const navigate = useNavigate();
  if (providers.isPending) return <Loading />;
  if (providers.isError) return <ErrorBanner error={toUiError(providers.error)} />;
  if (providers.data.length === 0) {
    return (
      <Welcome
        onAdd={() => {
          navigate({ screen: "providers" });
        }}
      />
    );
  }
  return <Dashboard />;
}
