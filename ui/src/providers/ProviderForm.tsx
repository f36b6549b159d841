// Add or edit a provider: preset or custom URL, write-only key, errors in place.
import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { useState } from "react";
import { useTranslation } from "react-i18next";

import { Button, ErrorBanner, Field, INPUT } from "../components/ui";
import { commands } from "../ipc/bindings";
import { errorText, toUiError } from "../ipc/errors";
import type { UiError } from "../ipc/errors";
import { refreshAfterProviderChange } from "./queries";
import type { ProviderView } from "./queries";

const FIELDS = ["name", "displayName", "apiUrl", "apiKey", "priority"] as const;
type FieldName = (typeof FIELDS)[number];

/** A check the form makes itself before calling the engine. */
class FieldError extends Error {
  constructor(readonly error: UiError) {
    super(error.message);
  }
}

export function ProviderForm({
  editing,
  onDone,
}: {
  /** The provider being edited; absent when adding. */
  editing?: ProviderView | undefined;
  onDone: (saved: ProviderView | null) => void;
}) {
  const { t, i18n } = useTranslation();
  const client = useQueryClient();
  const presets = useQuery({ queryKey: ["presets"], queryFn: () => commands.providerPresets() });
  const [preset, setPreset] = useState<string>(editing ? "custom" : "");
  const [name, setName] = useState(editing?.name ?? "");
  const [displayName, setDisplayName] = useState(editing?.displayName ?? "");
  const [apiUrl, setApiUrl] = useState(editing?.apiUrl ?? "");
  const [apiKey, setApiKey] = useState("");
  const [priority, setPriority] = useState(String(editing?.priority ?? 0));
  const [error, setError] = useState<UiError | null>(null);

  const save = useMutation({
    mutationFn: async () => {
      const prio = Number.parseInt(priority, 10);
      if (!Number.isFinite(prio)) {
        return Promise.reject(new FieldError({ code: "input.invalid", message: "priority", field: "priority" }));
      }
      if (editing) {
        return commands.updateProvider(editing.name, {
          displayName,
          apiUrl,
          apiKey: apiKey === "" ? null : apiKey,
          priority: prio,
        });
      }
      return commands.addProvider({ name, displayName, apiUrl, apiKey, priority: prio });
    },
    onSuccess: async (saved) => {
      const newKey = apiKey !== "";
      setApiKey("");
      await refreshAfterProviderChange(client);
      onDone(saved);
      if (newKey) {
        // Check a new key at once: the balance and currency (or the provider's error) show
        // without waiting for the hourly balance job, and orders get a "balance before".
        commands
          .testProvider(saved.name)
          .then(
            () => undefined,
            () => undefined, // recorded on the provider; its card shows it
          )
          .finally(() => {
            void refreshAfterProviderChange(client);
          });
      }
    },
    onError: (e) => {
      setError(e instanceof FieldError ? e.error : toUiError(e));
    },
  });

  const fieldError = (field: FieldName): string | undefined =>
    error?.field === field ? errorText(i18n, error) : undefined;
  const aria = (field: FieldName) => ({
    "aria-invalid": error?.field === field,
    "aria-describedby": error?.field === field ? `pf-${field}-error` : undefined,
  });

  const choosePreset = (id: string) => {
    setPreset(id);
    const p = presets.data?.find((x) => x.id === id);
    if (p) {
      setName(p.name);
      setDisplayName(p.displayName);
      setApiUrl(p.apiUrl);
    } else {
      setName("");
      setDisplayName("");
      setApiUrl("https://");
    }
  };

  const onSubmit = (e: { preventDefault: () => void }) => {
    e.preventDefault();
    setError(null);
    save.mutate();
  };

  const general = error && !FIELDS.includes(error.field as FieldName) ? error : null;

  return (
    <form
      onSubmit={onSubmit}
      data-testid="provider-form"
      className="flex flex-col gap-4 px-5 py-4"
      noValidate
    >
      {!editing && (
        <fieldset className="flex flex-col gap-2">
          <legend className="mb-1 text-xs font-medium text-fg-soft">{t("providers.form.preset")}</legend>
          <div className="flex flex-wrap gap-2">
            {[...(presets.data ?? []).map((p) => ({ id: p.id, label: p.displayName })), { id: "custom", label: t("providers.form.custom") }].map(
              (p) => (
                <Button
                  key={p.id}
                  data-testid={`preset-${p.id}`}
                  aria-pressed={preset === p.id}
                  variant={preset === p.id ? "primary" : "secondary"}
                  onClick={() => {
                    choosePreset(p.id);
                  }}
                >
                  {p.label}
                </Button>
              ),
            )}
          </div>
        </fieldset>
      )}
      <div className="grid grid-cols-1 gap-4 md:grid-cols-2">
        {!editing && (
          <Field id="pf-name" label={t("providers.form.name")} hint={t("providers.form.nameHint")} error={fieldError("name")}>
            <input
              id="pf-name"
              data-testid="pf-name"
              className={INPUT}
              dir="ltr"
              value={name}
              onChange={(e) => {
                setName(e.target.value);
              }}
              autoComplete="off"
              {...aria("name")}
            />
          </Field>
        )}
        <Field id="pf-displayName" label={t("providers.form.displayName")} error={fieldError("displayName")}>
          <input
            id="pf-displayName"
            data-testid="pf-displayName"
            className={INPUT}
            value={displayName}
            onChange={(e) => {
              setDisplayName(e.target.value);
            }}
            {...aria("displayName")}
          />
        </Field>
        <Field id="pf-apiUrl" label={t("providers.form.apiUrl")} hint={t("providers.form.apiUrlHint")} error={fieldError("apiUrl")}>
          <input
            id="pf-apiUrl"
            data-testid="pf-apiUrl"
            className={INPUT}
            dir="ltr"
            value={apiUrl}
            onChange={(e) => {
              setApiUrl(e.target.value);
            }}
            autoComplete="off"
            {...aria("apiUrl")}
          />
        </Field>
        <Field
          id="pf-apiKey"
          label={t("providers.form.apiKey")}
          hint={editing ? t("providers.form.apiKeyKeep", { hint: editing.keyHint }) : t("providers.form.apiKeyHint")}
          error={fieldError("apiKey")}
        >
          <input
            id="pf-apiKey"
            data-testid="pf-apiKey"
            type="password"
            className={INPUT}
            dir="ltr"
            value={apiKey}
            placeholder={editing?.keyHint}
            onChange={(e) => {
              setApiKey(e.target.value);
            }}
            autoComplete="new-password"
            {...aria("apiKey")}
          />
        </Field>
        <Field id="pf-priority" label={t("providers.form.priority")} hint={t("providers.form.priorityHint")} error={fieldError("priority")}>
          <input
            id="pf-priority"
            data-testid="pf-priority"
            type="number"
            className={INPUT}
            value={priority}
            onChange={(e) => {
              setPriority(e.target.value);
            }}
            {...aria("priority")}
          />
        </Field>
      </div>
      {general && <ErrorBanner error={general} testId="provider-form-error" />}
      <div className="flex justify-end gap-2">
        <Button
          onClick={() => {
            onDone(null);
          }}
        >
          {t("common.cancel")}
        </Button>
        <Button type="submit" variant="primary" busy={save.isPending} data-testid="pf-save">
          {editing ? t("providers.form.save") : t("providers.form.add")}
        </Button>
      </div>
    </form>
  );
}
