// The schedule form: what to order (a service, link, quantity, customer and sale price; or
// an order built on the New order form) and when (RuleFields). Creates or edits; the engine
// checks everything and its errors are shown on their fields.
import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { useState } from "react";
import { useTranslation } from "react-i18next";

import { Button, Card, ErrorBanner, Field, INPUT } from "../components/ui";
import { commands } from "../ipc/bindings";
import type { NewOrder_Deserialize, NewSchedule_Deserialize } from "../ipc/bindings";
import { errorText, toUiError } from "../ipc/errors";
import type { UiError } from "../ipc/errors";
import { KEYS } from "../ipc/useEngineEvents";
import { fieldsFor } from "../orders/fields";
import { ServicePicker } from "../orders/NewOrderScreen";
import { CustomerInput, isAmount } from "../orders/sale";
import { emptyRule, fromRule, toRule } from "./rule";
import type { RuleForm } from "./rule";
import { RuleFields } from "./RuleFields";
import type { ScheduleView } from "./types";

/** What the form starts from. */
export type ScheduleFormMode =
  | { kind: "create" }
  | { kind: "edit"; schedule: ScheduleView }
  /** An order from the New order form: only the rule is asked. */
  | { kind: "order"; order: NewOrder_Deserialize };

/** Fields the engine names that this form shows in place. */
const PLACED = new Set(["start", "every", "weekdays", "time", "until", "count", "zone", "link", "quantity", "customer", "salePrice", "serviceId"]);

/** The text of a schedule error: the field's own words for `input.invalid`, else the code's. */
export function scheduleErrorText(i18n: ReturnType<typeof useTranslation>["i18n"], e: UiError): string {
  if (e.code === "input.invalid" && e.field !== undefined) {
    const key = `schedules.fieldErrors.${e.field}`;
    if (typeof i18n.getResource("en", "translation", key) === "string") return (i18n.t as unknown as (k: string) => string)(key);
  }
  return errorText(i18n, e);
}

export function ScheduleForm({
  mode,
  onDone,
  onCancel,
}: {
  mode: ScheduleFormMode;
  onDone: (s: ScheduleView) => void;
  onCancel?: (() => void) | undefined;
}) {
  const { t, i18n } = useTranslation();
  const client = useQueryClient();
  const stored = mode.kind === "edit" ? mode.schedule : null;
  const [rule, setRule] = useState<RuleForm>(() => (stored ? fromRule(stored.rule, stored.missed) : emptyRule()));
  const [serviceRef, setServiceRef] = useState<number | undefined>(undefined);
  const [link, setLink] = useState(stored?.order.link ?? "");
  const [quantity, setQuantity] = useState(stored?.order.quantity == null ? "" : String(stored.order.quantity));
  const [customer, setCustomer] = useState(stored?.order.customer ?? "");
  const [salePrice, setSalePrice] = useState(stored?.order.salePrice ?? "");
  const [error, setError] = useState<UiError | null>(null);
  const service = useQuery({
    queryKey: ["service", serviceRef],
    queryFn: () => commands.getService(serviceRef ?? 0),
    enabled: serviceRef !== undefined,
  });

  const fields = mode.kind === "create" && service.data ? fieldsFor(service.data.serviceType) : [];
  const hasLink = stored ? stored.order.link !== null : fields.includes("link");
  const hasQuantity = stored ? stored.order.quantity !== null : fields.includes("quantity");

  const build = (): NewSchedule_Deserialize | null => {
    let order: NewOrder_Deserialize;
    if (mode.kind === "order") {
      order = { ...mode.order, idempotencyKey: null, force: false };
    } else {
      const base: NewOrder_Deserialize =
        mode.kind === "edit"
          ? { ...(mode.schedule.order as NewOrder_Deserialize), idempotencyKey: null }
          : { provider: service.data?.provider ?? "", serviceId: service.data?.serviceId ?? "" };
      order = { ...base };
      if (hasLink) order.link = link.trim();
      if (hasQuantity) {
        const n = Number(quantity.trim());
        order.quantity = quantity.trim() === "" ? null : Number.isSafeInteger(n) && n >= 0 ? n : 0;
      }
      order.customer = customer.trim() === "" ? null : customer.trim();
      order.salePrice = salePrice.trim() === "" ? null : salePrice.trim();
    }
    const r = toRule(rule);
    return { order, rule: r, missed: rule.missed };
  };

  const save = useMutation({
    mutationFn: (s: NewSchedule_Deserialize) => (stored ? commands.editSchedule(stored.id, s) : commands.addSchedule(s)),
    onSuccess: (s) => {
      void client.invalidateQueries({ queryKey: KEYS.schedules });
      onDone(s);
    },
    onError: (e) => {
      setError(toUiError(e));
    },
  });
  const errorFor = (f: string) => (error?.field === f ? scheduleErrorText(i18n, error) : undefined);
  const general = error !== null && !PLACED.has(error.field ?? "") ? error : null;
  const saleBad = salePrice.trim() !== "" && !isAmount(salePrice.trim());
  const needService = mode.kind === "create" && service.data === undefined;
  const title = stored ? t("schedules.editTitle", { id: stored.id }) : mode.kind === "order" ? t("schedules.fromOrderTitle") : t("schedules.add");

  return (
    <Card title={title}>
      <form
        data-testid="schedule-form"
        noValidate
        className="flex flex-col gap-4 px-5 py-4"
        onSubmit={(e) => {
          e.preventDefault();
          setError(null);
          if (needService) {
            setError({ code: "input.invalid", message: "", field: "serviceId" });
            return;
          }
          if (saleBad) {
            setError({ code: "input.invalid", message: "", field: "salePrice" });
            return;
          }
          const s = build();
          if (s) save.mutate(s);
        }}
      >
        {mode.kind === "create" && (
          <div className="flex flex-col gap-1">
            <ServicePicker selected={service.data} initiallyOpen onPick={(id) => { setServiceRef(id); setError(null); }} />
            {error?.field === "serviceId" && (
              <p role="alert" data-testid="error-sf-service" className="text-xs text-danger">{t("schedules.chooseService")}</p>
            )}
          </div>
        )}
        {mode.kind === "edit" && stored && (
          <p className="text-sm text-fg-soft" data-testid="sf-service">
            <span className="font-mono text-xs text-muted" dir="ltr">{stored.provider} #{stored.serviceId}</span>{" "}
            <span dir="auto">{stored.serviceName ?? ""}</span>
          </p>
        )}
        {mode.kind !== "order" && (hasLink || hasQuantity) && (
          <div className="grid grid-cols-2 gap-4">
            {hasLink && (
              <Field id="sf-link" label={t("schedules.link")} error={errorFor("link")}>
                <input id="sf-link" data-testid="sf-link" dir="ltr" className={INPUT} value={link}
                  aria-invalid={errorFor("link") !== undefined}
                  onChange={(e) => { setLink(e.target.value); setError(null); }} />
              </Field>
            )}
            {hasQuantity && (
              <Field id="sf-quantity" label={t("schedules.quantity")} error={errorFor("quantity")}>
                <input id="sf-quantity" data-testid="sf-quantity" dir="ltr" inputMode="numeric" className={INPUT} value={quantity}
                  aria-invalid={errorFor("quantity") !== undefined}
                  onChange={(e) => { setQuantity(e.target.value); setError(null); }} />
              </Field>
            )}
          </div>
        )}
        {mode.kind !== "order" && (
          <div className="grid grid-cols-2 gap-4">
            <Field id="sf-customer" label={t("schedules.customer")} hint={t("schedules.optional")} error={errorFor("customer")}>
              <CustomerInput id="sf-customer" value={customer} invalid={errorFor("customer") !== undefined} onChange={(v) => { setCustomer(v); setError(null); }} />
            </Field>
            <Field id="sf-salePrice" label={t("schedules.salePrice")} hint={t("schedules.optional")} error={error?.field === "salePrice" ? (saleBad ? t("order.salePriceInvalid") : errorFor("salePrice")) : undefined}>
              <input id="sf-salePrice" data-testid="sf-salePrice" dir="ltr" inputMode="decimal" className={INPUT} value={salePrice}
                aria-invalid={error?.field === "salePrice"}
                onChange={(e) => { setSalePrice(e.target.value); setError(null); }} />
            </Field>
          </div>
        )}
        <RuleFields value={rule} onChange={(r) => { setRule(r); setError(null); }} errorFor={errorFor} />
        {general && <ErrorBanner error={general} testId="schedule-error" />}
        <div className="flex justify-end gap-2">
          {onCancel && (
            <Button onClick={onCancel} data-testid="sf-cancel">{t("schedules.cancel")}</Button>
          )}
          <Button type="submit" variant="primary" busy={save.isPending} data-testid="sf-save">
            {stored ? t("schedules.save") : t("schedules.create")}
          </Button>
        </div>
      </form>
    </Card>
  );
}
