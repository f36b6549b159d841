// Customers (issue #15): who orders were sold to, with their totals per currency (orders,
// billed, cost, profit, last order), a search over names and contacts, a form to add one, and
// each one's contact edited in place. A row opens the Orders list filtered to that customer.
import { useMutation, useQueryClient } from "@tanstack/react-query";
import { useState } from "react";
import { useTranslation } from "react-i18next";

import { Button, Card, EmptyState, ErrorBanner, Field, INPUT, INPUT_BASE, Loading } from "../components/ui";
import { commands } from "../ipc/bindings";
import type { CustomerView_Serialize as CustomerView, EarningsView_Serialize as EarningsView } from "../ipc/bindings";
import { errorText, toUiError } from "../ipc/errors";
import type { UiError } from "../ipc/errors";
import { KEYS } from "../ipc/useEngineEvents";
import { formatAgo, formatAmount, formatCount, formatPercentText } from "../lib/format";
import { useCustomers } from "../orders/sale";
import { usePreferences } from "../preferences/PreferencesProvider";
import { useNavigate } from "../shell/navigation";

export function CustomersScreen() {
  const { t } = useTranslation();
  const [search, setSearch] = useState("");
  const list = useCustomers(search);
  return (
    <div className="mx-auto flex max-w-5xl flex-col gap-4">
      <AddCustomer />
      <Card
        title={t("customers.list")}
        actions={
          <input
            type="search"
            aria-label={t("customers.search")}
            placeholder={t("customers.search")}
            data-testid="customers-search"
            className={`${INPUT_BASE} w-64`}
            value={search}
            onChange={(e) => {
              setSearch(e.target.value);
            }}
          />
        }
      >
        {list.isPending ? (
          <Loading />
        ) : list.isError ? (
          <div className="px-5 py-3">
            <ErrorBanner error={toUiError(list.error)} />
          </div>
        ) : list.data.length === 0 ? (
          <EmptyState testId="customers-empty" title={t("customers.emptyTitle")} text={search.trim() === "" ? t("customers.emptyText") : t("customers.noMatch")} />
        ) : (
          <CustomerTable customers={list.data} />
        )}
      </Card>
    </div>
  );
}

function CustomerTable({ customers }: { customers: CustomerView[] }) {
  const { t } = useTranslation();
  const { language } = usePreferences();
  const navigate = useNavigate();
  const head = "px-2 py-2 font-medium";
  return (
    <div className="overflow-auto">
      <table className="w-full text-sm" data-testid="customers-table">
        <thead className="bg-sunken text-xs text-muted">
          <tr>
            <th className={`${head} ps-5 text-start`}>{t("customers.name")}</th>
            <th className={`${head} text-start`}>{t("customers.contact")}</th>
            <th className={`${head} text-end`}>{t("customers.orders")}</th>
            <th className={`${head} text-end`}>{t("customers.billed")}</th>
            <th className={`${head} text-end`}>{t("customers.cost")}</th>
            <th className={`${head} text-end`}>{t("customers.profit")}</th>
            <th className={`${head} pe-5 text-end`}>{t("customers.lastOrder")}</th>
          </tr>
        </thead>
        <tbody>
          {customers.map((c) => (
            <tr
              key={c.id}
              data-testid="customer-row"
              data-id={c.id}
              className="cursor-pointer border-t border-line align-top hover:bg-hover"
              onClick={() => {
                navigate({ screen: "orders", customerId: c.id });
              }}
            >
              <td className="px-2 py-2 ps-5">
                <button
                  type="button"
                  data-testid="customer-open"
                  className="rounded text-start font-medium text-accent hover:underline focus-visible:outline-2 focus-visible:outline-accent"
                  dir="auto"
                  onClick={(e) => {
                    e.stopPropagation();
                    navigate({ screen: "orders", customerId: c.id });
                  }}
                >
                  {c.name}
                </button>
              </td>
              <ContactCell customer={c} />
              <td className="px-2 py-2 text-end tabular-nums">{formatCount(c.orders, language)}</td>
              <PerCurrency earnings={c.earnings} pick={(e) => e.revenue} testId="customer-billed" />
              <PerCurrency earnings={c.earnings} pick={(e) => e.cost} testId="customer-cost" />
              <PerCurrency earnings={c.earnings} pick={(e) => e.profit} testId="customer-profit" margin />
              <td className="px-2 py-2 pe-5 text-end text-xs text-muted" title={c.lastOrderAt ?? ""}>
                {c.lastOrderAt === null ? "—" : formatAgo(c.lastOrderAt, language)}
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}

/** A customer's contact, with an edit button that turns it into a small form (blank removes it). */
function ContactCell({ customer }: { customer: CustomerView }) {
  const { t, i18n } = useTranslation();
  const client = useQueryClient();
  const [draft, setDraft] = useState<string | null>(null);
  const [error, setError] = useState<UiError | null>(null);
  const save = useMutation({
    mutationFn: (contact: string) => commands.setCustomerContact(customer.id, contact.trim() === "" ? null : contact),
    onSuccess: () => {
      setDraft(null);
      void client.invalidateQueries({ queryKey: KEYS.customers });
    },
    onError: (e) => {
      setError(toUiError(e));
    },
  });
  const stop = (e: React.SyntheticEvent) => {
    e.stopPropagation();
  };
  if (draft === null) {
    return (
      <td className="max-w-56 px-2 py-2 text-xs text-fg-soft">
        <span className="flex items-center gap-1.5">
          <span className="truncate" dir="auto" data-testid="customer-contact">{customer.contact ?? "—"}</span>
          <button type="button" data-testid="customer-edit-contact" aria-label={t("customers.editContact", { name: customer.name })}
            title={t("customers.editContact", { name: customer.name })}
            className="shrink-0 rounded px-1 text-muted hover:bg-hover hover:text-fg focus-visible:outline-2 focus-visible:outline-accent"
            onClick={(e) => { stop(e); setError(null); setDraft(customer.contact ?? ""); }}>
            ✎
          </button>
        </span>
      </td>
    );
  }
  const fieldError = error !== null && error.field === "contact" ? errorText(i18n, error) : undefined;
  const id = `cu-contact-${customer.id}`;
  return (
    <td className="px-2 py-2" onClick={stop}>
      <form data-testid="customer-contact-form" noValidate className="flex flex-col gap-1"
        onSubmit={(e) => { e.preventDefault(); setError(null); save.mutate(draft); }}>
        <div className="flex items-center gap-1.5">
          <input id={id} data-testid="customer-contact-input" dir="auto" className={`${INPUT_BASE} w-44`} value={draft} maxLength={200}
            aria-label={t("customers.contact")} aria-invalid={fieldError !== undefined} aria-describedby={fieldError !== undefined ? `${id}-error` : undefined}
            autoFocus onKeyDown={(e) => { if (e.key === "Escape") { setDraft(null); setError(null); } }}
            onChange={(e) => { setDraft(e.target.value); setError(null); }} />
          <Button type="submit" variant="primary" busy={save.isPending} data-testid="customer-contact-save">{t("customers.saveContact")}</Button>
          <Button onClick={() => { setDraft(null); setError(null); }} data-testid="customer-contact-cancel">{t("common.cancel")}</Button>
        </div>
        {fieldError !== undefined && <p id={`${id}-error`} role="alert" data-testid="error-customer-contact" className="text-xs text-danger">{fieldError}</p>}
        {error !== null && error.field !== "contact" && <ErrorBanner error={error} />}
      </form>
    </td>
  );
}

/** One amount per currency, one line each (never summed across currencies). */
function PerCurrency({ earnings, pick, testId, margin = false }: { earnings: EarningsView[]; pick: (e: EarningsView) => string; testId: string; margin?: boolean }) {
  const { language } = usePreferences();
  return (
    <td className="px-2 py-2 text-end tabular-nums" data-testid={testId}>
      {earnings.length === 0
        ? "—"
        : earnings.map((e) => (
            <span key={e.currency} className="block" data-currency={e.currency} data-amount={pick(e)}>
              <bdi>{formatAmount(pick(e), e.currency, language)}</bdi>
              {margin && e.marginPercent !== null && <span className="ms-1 text-xs text-muted">({formatPercentText(e.marginPercent, language)})</span>}
            </span>
          ))}
    </td>
  );
}

function AddCustomer() {
  const { t, i18n } = useTranslation();
  const client = useQueryClient();
  const [name, setName] = useState("");
  const [contact, setContact] = useState("");
  const [error, setError] = useState<UiError | null>(null);
  const [added, setAdded] = useState<string | null>(null);
  const add = useMutation({
    mutationFn: () => commands.addCustomer({ name, contact: contact.trim() === "" ? null : contact }),
    onSuccess: (c) => {
      setAdded(c.name);
      setName("");
      setContact("");
      void client.invalidateQueries({ queryKey: KEYS.customers });
    },
    onError: (e) => {
      setError(toUiError(e));
    },
  });
  const on = (field: string) => (error?.field === field ? errorText(i18n, error) : undefined);
  const general = error !== null && error.field !== "customer" && error.field !== "contact" ? error : null;
  return (
    <Card title={t("customers.add")}>
      <form
        data-testid="customer-form"
        noValidate
        className="flex flex-col gap-3 px-5 py-4"
        onSubmit={(e) => {
          e.preventDefault();
          setError(null);
          setAdded(null);
          add.mutate();
        }}
      >
        <div className="grid grid-cols-2 gap-4">
          <Field id="cu-name" label={t("customers.name")} error={on("customer")}>
            <input id="cu-name" data-testid="cu-name" dir="auto" className={INPUT} value={name} maxLength={100}
              aria-invalid={on("customer") !== undefined} aria-describedby={on("customer") !== undefined ? "cu-name-error" : undefined}
              onChange={(e) => { setName(e.target.value); setError(null); }} />
          </Field>
          <Field id="cu-contact" label={t("customers.contact")} hint={t("customers.contactHint")} error={on("contact")}>
            <input id="cu-contact" data-testid="cu-contact" dir="auto" className={INPUT} value={contact} maxLength={200}
              aria-invalid={on("contact") !== undefined} aria-describedby={on("contact") !== undefined ? "cu-contact-error" : undefined}
              onChange={(e) => { setContact(e.target.value); setError(null); }} />
          </Field>
        </div>
        {general && <ErrorBanner error={general} />}
        <div className="flex items-center justify-end gap-3">
          {added !== null && <span className="text-xs text-success" role="status" data-testid="customer-added">{t("customers.added", { name: added })}</span>}
          <Button type="submit" variant="primary" busy={add.isPending} data-testid="customer-add">
            {t("customers.addButton")}
          </Button>
        </div>
      </form>
    </Card>
  );
}
