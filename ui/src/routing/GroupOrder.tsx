// An order on an offer group: the form of the group's service type, a preview of which
// provider the order would go to (and why the others are passed over), and the route it took.
import { keepPreviousData, useMutation, useQuery } from "@tanstack/react-query";
import { useState } from "react";
import { useTranslation } from "react-i18next";

import { Badge, Button, Card, ErrorBanner, Field, INPUT } from "../components/ui";
import { commands } from "../ipc/bindings";
import type {
  MemberSkipView as MemberSkip,
  RouteGroupView_Serialize as RouteGroup,
  RoutePreviewView_Serialize as RoutePreview,
  RoutedPlacementView_Serialize as RoutedPlacement,
} from "../ipc/bindings";
import { errorText, toUiError } from "../ipc/errors";
import type { UiError } from "../ipc/errors";
import { formatAmount, formatCount } from "../lib/format";
import { newIdempotencyKey } from "../lib/idempotency";
import { useDebounced } from "../lib/useDebounced";
import { usePreferences } from "../preferences/PreferencesProvider";
import { useNavigate } from "../shell/navigation";
import { fieldsFor, LIST_FIELDS } from "../orders/fields";
import type { ListField, OrderField } from "../orders/fields";
import { buildOrder, EMPTY } from "../orders/NewOrderScreen";
import type { Values } from "../orders/NewOrderScreen";
import { OrderResult, StatusBadge } from "../orders/OrderResult";
import { CustomerInput, isAmount } from "../orders/sale";

/** The saved offer groups. */
export function useOfferGroups() {
  return useQuery({ queryKey: ["offer-groups"], queryFn: () => commands.listOfferGroups() });
}

/** The group's service type: its first member's (all members share it). */
export function groupType(g: RouteGroup): string {
  return g.members.find((m) => m.serviceType !== null)?.serviceType ?? "Default";
}

/** Why a member is passed over, in the user's language. */
export function useSkipText(): (s: MemberSkip) => string {
  const { i18n } = useTranslation();
  return (s) => errorText(i18n, { code: s.code, message: s.message });
}

/** The offer group chosen as the New order's "service". */
export function GroupChosen({ group, onChange }: { group: RouteGroup; onChange: () => void }) {
  const { t } = useTranslation();
  const { language } = usePreferences();
  return (
    <Card
      title={t("order.service")}
      actions={
        <Button onClick={onChange} data-testid="order-change-service">
          {t("order.changeService")}
        </Button>
      }
    >
      <div className="flex flex-wrap items-center gap-x-4 gap-y-1 px-5 py-3 text-sm" data-testid="order-group">
        <Badge tone="accent">{t("routing.group")}</Badge>
        <span className="font-medium text-fg" dir="auto">{group.name}</span>
        <Badge>{groupType(group)}</Badge>
        <span className="text-fg-soft">
          {t("routing.memberCount", { n: formatCount(group.members.length, language) })}
          {" · "}
          {t(`routing.rules.${group.rule}`)}
        </span>
      </div>
    </Card>
  );
}

export function GroupOrderForm({ group, onPlaced }: { group: RouteGroup; onPlaced: (p: RoutedPlacement) => void }) {
  const { t, i18n } = useTranslation();
  const [key] = useState(newIdempotencyKey);
  const [values, setValues] = useState<Values>(EMPTY);
  const [customer, setCustomer] = useState("");
  const [saleText, setSaleText] = useState("");
  const [submitted, setSubmitted] = useState(false);
  const [placeError, setPlaceError] = useState<UiError | null>(null);
  const serviceType = groupType(group);
  const fields = fieldsFor(serviceType).filter((f): f is Exclude<OrderField, "runs"> => f !== "runs");
  const saleMalformed = saleText.trim() !== "" && !isAmount(saleText.trim());
  const order = () =>
    buildOrder({ provider: "", serviceId: "", serviceType }, values, false, key, false, { customer, salePrice: saleText });
  const debounced = useDebounced(order(), 150);
  const preview = useQuery({
    queryKey: ["route-preview", group.name, debounced],
    queryFn: () => commands.previewRoutedOrder(group.name, debounced),
    placeholderData: keepPreviousData,
    retry: false,
    staleTime: 0,
  });
  const place = useMutation({
    mutationFn: () => commands.placeRoutedOrder(group.name, order()),
    onSuccess: onPlaced,
    onError: (e) => {
      setPlaceError(toUiError(e));
    },
  });
  const previewError = preview.isError ? toUiError(preview.error) : null;
  const shown = placeError ?? (submitted ? previewError : null);
  const errorFor = (f: string) => (shown && shown.field === f ? errorText(i18n, shown) : undefined);
  const general = shown && !fields.includes(shown.field as Exclude<OrderField, "runs">) && shown.field !== "salePrice" && shown.field !== "customer" ? shown : null;
  const set = (f: keyof Values) => (e: { target: { value: string } }) => {
    setValues((v) => ({ ...v, [f]: e.target.value }));
    setPlaceError(null);
  };
  const input = (f: Exclude<OrderField, "runs">) => {
    const err = errorFor(f);
    const common = {
      id: `of-${f}`,
      "data-testid": `of-${f}`,
      value: values[f as keyof Values],
      onChange: set(f),
      "aria-invalid": err !== undefined,
      "aria-describedby": err !== undefined ? `of-${f}-error` : undefined,
    };
    return (
      <Field key={f} id={`of-${f}`} label={t(`order.fields.${f}`)} error={err}>
        {LIST_FIELDS.includes(f as ListField) ? (
          <textarea {...common} rows={4} className={`${INPUT} h-auto py-1.5`} />
        ) : (
          <input {...common} className={INPUT} dir={f === "link" ? "ltr" : undefined} inputMode={f === "quantity" ? "numeric" : undefined} />
        )}
      </Field>
    );
  };

  return (
    <Card title={t("order.details")}>
      <form
        data-testid="order-form"
        data-type={serviceType}
        noValidate
        className="flex flex-col gap-4 px-5 py-4"
        onSubmit={(e) => {
          e.preventDefault();
          setSubmitted(true);
          setPlaceError(null);
          if (saleMalformed) return;
          place.mutate();
        }}
      >
        {fields.map(input)}
        <fieldset className="grid grid-cols-2 gap-4 rounded-md border border-line p-3" data-testid="order-sale">
          <legend className="px-1 text-xs font-medium text-muted">{t("order.sale")}</legend>
          <Field id="of-customer" label={t("order.customer")} hint={t("order.customerHint")} error={errorFor("customer")}>
            <CustomerInput id="of-customer" value={customer} invalid={errorFor("customer") !== undefined} onChange={setCustomer} />
          </Field>
          <Field id="of-salePrice" label={t("order.salePrice")} hint={t("order.salePriceHint")}
            error={saleMalformed && submitted ? t("order.salePriceInvalid") : errorFor("salePrice")}>
            <input id="of-salePrice" data-testid="of-salePrice" dir="ltr" inputMode="decimal" className={INPUT} value={saleText}
              onChange={(e) => { setSaleText(e.target.value); setPlaceError(null); }} />
          </Field>
        </fieldset>
        <RoutePreviewCard preview={preview.data} stale={preview.isError || preview.isPlaceholderData} />
        {general && <ErrorBanner error={general} testId="order-error" />}
        <div className="flex justify-end gap-2">
          <Button type="submit" variant="primary" busy={place.isPending} data-testid="order-place">
            {t("routing.place")}
          </Button>
        </div>
      </form>
    </Card>
  );
}

/** Where the order would go, what would follow if it were refused, and who is passed over. */
export function RoutePreviewCard({ preview, stale }: { preview: RoutePreview | undefined; stale: boolean }) {
  const { t } = useTranslation();
  const { language } = usePreferences();
  const skipText = useSkipText();
  if (!preview) return null;
  const [first, ...rest] = preview.candidates;
  return (
    <div className="flex flex-col gap-2 rounded-md bg-sunken px-4 py-3 text-sm" data-testid="route-preview" data-stale={stale}>
      {first && (
        <div data-testid="route-choice" data-provider={first.provider}>
          <div className="text-xs text-muted">{t(`routing.goesTo.${preview.rule}`)}</div>
          <div className={`text-base font-semibold ${stale ? "text-muted" : "text-fg"}`}>
            <bdi dir="ltr">{first.provider} #{first.serviceId}</bdi>
            <span className="ms-2">{formatAmount(first.estimatedCost, first.currency, language)}</span>
          </div>
        </div>
      )}
      {rest.length > 0 && (
        <div className="text-xs text-fg-soft" data-testid="route-then">
          {t("routing.then")}{" "}
          {rest.map((c, i) => (
            <span key={`${c.provider}/${c.serviceId}`}>
              {i > 0 && " → "}
              <bdi dir="ltr">{c.provider}</bdi> ({formatAmount(c.estimatedCost, c.currency, language)})
            </span>
          ))}
        </div>
      )}
      {preview.skipped.length > 0 && (
        <ul className="flex flex-col gap-0.5 text-xs" data-testid="route-skipped">
          <li className="text-muted">{t("routing.passedOver")}</li>
          {preview.skipped.map((s) => (
            <li key={`${s.provider}/${s.serviceId}`} data-testid="route-skip" data-code={s.code} className="text-warning">
              <bdi dir="ltr">{s.provider} #{s.serviceId}</bdi>: {skipText(s)}
            </li>
          ))}
        </ul>
      )}
    </div>
  );
}

/** Every attempt of a routed order: provider, outcome. */
export function RouteAttempts({ placement }: { placement: RoutedPlacement }) {
  const { t, i18n } = useTranslation();
  const { language } = usePreferences();
  const navigate = useNavigate();
  const skipText = useSkipText();
  return (
    <Card title={t("routing.route", { group: placement.group })}>
      <ol className="flex flex-col gap-2 px-5 py-3 text-sm" data-testid="route-attempts">
        {placement.attempts.map((a) => (
          <li key={a.orderId} className="flex flex-wrap items-center gap-x-3 gap-y-1" data-testid="route-attempt" data-provider={a.provider} data-status={a.status}>
            <span className="text-xs text-muted">{t("routing.attempt", { n: formatCount(a.attempt, language) })}</span>
            <bdi dir="ltr" className="font-medium">{a.provider} #{a.serviceId}</bdi>
            <StatusBadge status={a.status} />
            {a.rejectReason !== null && (
              <span className="text-xs text-fg-soft" data-testid="route-attempt-reason">
                {errorText(i18n, { code: `panel.rejected.${a.rejectReason}`, message: a.rejectReason })}
              </span>
            )}
            <button type="button" className="text-xs text-accent hover:underline" onClick={() => { navigate({ screen: "orders", orderId: a.orderId }); }}>
              #{formatCount(a.orderId, language)}
            </button>
          </li>
        ))}
        {placement.skipped.map((s) => (
          <li key={`skip-${s.provider}/${s.serviceId}`} className="text-xs text-warning" data-testid="route-skip">
            <bdi dir="ltr">{s.provider} #{s.serviceId}</bdi>: {skipText(s)}
          </li>
        ))}
      </ol>
      {placement.order.status === "unknown" && placement.remaining.length > 0 && (
        <p className="border-t border-line px-5 py-3 text-xs text-fg-soft" data-testid="route-remaining">
          {t("routing.remaining", { providers: new Intl.ListFormat(i18n.language).format(placement.remaining.map((m) => m.provider)) })}
        </p>
      )}
    </Card>
  );
}

/** The result of a routed order: the route, then the order as a plain order's result. */
export function RoutedResult({ placement, onNew }: { placement: RoutedPlacement; onNew: () => void }) {
  return (
    <div className="flex flex-col gap-4" data-testid="routed-result">
      <RouteAttempts placement={placement} />
      <OrderResult order={placement.order} onNew={onNew} />
    </div>
  );
}
