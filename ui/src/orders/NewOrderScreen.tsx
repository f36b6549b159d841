// New order: pick a service, then a form with exactly the fields its type needs, a live
// estimate from the engine, the balance, errors in place; one click places one order.
import { keepPreviousData, useMutation, useQuery } from "@tanstack/react-query";
import { useState } from "react";
import { useTranslation } from "react-i18next";

import { Badge, Button, Card, ErrorBanner, Field, INPUT, Loading } from "../components/ui";
import { commands } from "../ipc/bindings";
import type { NewOrder_Deserialize, QuoteView_Serialize as QuoteView } from "../ipc/bindings";
import { errorText, toUiError } from "../ipc/errors";
import type { UiError } from "../ipc/errors";
import type { OrderView, ServiceView } from "../ipc/views";
import { formatAmount, formatCount, formatPercentText } from "../lib/format";
import { newIdempotencyKey } from "../lib/idempotency";
import { useDebounced } from "../lib/useDebounced";
import { usePreferences } from "../preferences/PreferencesProvider";
import { useProviders } from "../providers/queries";
import type { RouteGroupView_Serialize as RouteGroup, RoutedPlacementView_Serialize as RoutedPlacement } from "../ipc/bindings";
import { GroupChosen, GroupOrderForm, groupType, RoutedResult, useOfferGroups } from "../routing/GroupOrder";
import { ScheduleForm } from "../schedules/ScheduleForm";
import { useNavigate } from "../shell/navigation";
import { fieldsFor, linesOf, LIST_FIELDS, NUMBER_FIELDS, TEXT_FIELDS } from "./fields";
import type { ListField, OrderField } from "./fields";
import { OrderResult } from "./OrderResult";
import { CustomerInput, isAmount } from "./sale";

export function NewOrderScreen({ serviceRef }: { serviceRef?: number | undefined }) {
  const { t } = useTranslation();
  const [chosen, setChosen] = useState<number | undefined>(serviceRef);
  const [placed, setPlaced] = useState<OrderView | null>(null);
  const [group, setGroup] = useState<RouteGroup | undefined>(undefined);
  const [routed, setRouted] = useState<RoutedPlacement | null>(null);
  const service = useQuery({
    queryKey: ["service", chosen],
    queryFn: () => commands.getService(chosen ?? 0),
    enabled: chosen !== undefined,
  });

  if (routed) {
    return (
      <div className="mx-auto max-w-3xl">
        <RoutedResult
          placement={routed}
          onNew={() => {
            setRouted(null);
            setGroup(undefined);
          }}
        />
      </div>
    );
  }
  if (group) {
    return (
      <div className="mx-auto flex max-w-3xl flex-col gap-4">
        <p className="text-sm text-muted">{t("order.intro")}</p>
        <GroupChosen group={group} onChange={() => { setGroup(undefined); setChosen(undefined); }} />
        <GroupOrderForm key={group.id} group={group} onPlaced={setRouted} />
      </div>
    );
  }
  if (placed) {
    return (
      <div className="mx-auto max-w-3xl">
        <OrderResult
          order={placed}
          onNew={() => {
            setPlaced(null);
            setChosen(undefined);
          }}
        />
      </div>
    );
  }
  return (
    <div className="mx-auto flex max-w-3xl flex-col gap-4">
      <p className="text-sm text-muted">{t("order.intro")}</p>
      <ServicePicker
        selected={service.data}
        initiallyOpen={serviceRef === undefined}
        onPick={(id) => {
          setChosen(id);
        }}
        onPickGroup={setGroup}
      />
      {chosen !== undefined && service.isPending && <Loading />}
      {service.isError && <ErrorBanner error={toUiError(service.error)} />}
      {service.data && <OrderForm key={service.data.id} service={service.data} onPlaced={setPlaced} />}
    </div>
  );
}

export function ServicePicker({
  selected,
  initiallyOpen,
  onPick,
  onPickGroup,
}: {
  selected?: ServiceView | undefined;
  initiallyOpen: boolean;
  onPick: (id: number) => void;
  onPickGroup?: ((g: RouteGroup) => void) | undefined;
}) {
  const { t } = useTranslation();
  const { language } = usePreferences();
  const [search, setSearch] = useState("");
  const [open, setOpen] = useState(initiallyOpen);
  const term = useDebounced(search, 120);
  const results = useQuery({
    queryKey: ["services", "picker", term],
    queryFn: () => commands.listServices({ search: term.trim() || null, limit: 20, offset: 0, sort: "provider" }),
    enabled: open,
    placeholderData: keepPreviousData,
  });
  const groups = useOfferGroups();
  const needle = term.trim().toLowerCase();
  const shownGroups = onPickGroup ? (groups.data ?? []).filter((g) => needle === "" || g.name.toLowerCase().includes(needle)) : [];
  return (
    <Card
      title={t("order.service")}
      actions={
        selected && !open ? (
          <Button onClick={() => { setOpen(true); }} data-testid="order-change-service">
            {t("order.changeService")}
          </Button>
        ) : undefined
      }
    >
      {!open && !selected ? (
        <Loading />
      ) : selected && !open ? (
        <div className="flex flex-wrap items-center gap-x-4 gap-y-1 px-5 py-3 text-sm" data-testid="order-service">
          <span className="font-mono text-xs text-muted" dir="ltr">
            {selected.provider} #{selected.serviceId}
          </span>
          <span className="font-medium text-fg" dir="auto">{selected.name}</span>
          <Badge>{selected.serviceType}</Badge>
          <span className="text-fg-soft">
            {t("order.ratePer1000", { rate: formatAmount(selected.rate, selected.currency, language) })}
          </span>
        </div>
      ) : (
        <div className="flex flex-col gap-2 px-5 py-3">
          <input
            type="search"
            autoFocus
            aria-label={t("order.searchService")}
            placeholder={t("order.searchService")}
            data-testid="order-service-search"
            className={INPUT}
            value={search}
            onChange={(e) => { setSearch(e.target.value); }}
          />
          {results.isError && <ErrorBanner error={toUiError(results.error)} />}
          {shownGroups.length > 0 && (
            <div data-testid="order-group-results">
              <div className="px-2 pt-1 text-xs font-medium text-muted">{t("routing.groups")}</div>
              <ul>
                {shownGroups.map((g) => (
                  <li key={g.id}>
                    <button
                      type="button"
                      data-testid="order-group-option"
                      data-group={g.name}
                      onClick={() => {
                        setOpen(false);
                        onPickGroup?.(g);
                      }}
                      className="flex w-full items-center gap-3 rounded-md px-2 py-1.5 text-start text-sm hover:bg-hover focus-visible:outline-2 focus-visible:outline-accent"
                    >
                      <Badge tone="accent">{t("routing.group")}</Badge>
                      <span className="min-w-0 flex-1 truncate" dir="auto">{g.name}</span>
                      <span className="shrink-0 text-xs text-fg-soft">{groupType(g)}</span>
                      <span className="shrink-0 text-xs text-fg-soft">
                        {t("routing.memberCount", { n: formatCount(g.members.length, language) })}
                      </span>
                    </button>
                  </li>
                ))}
              </ul>
              <div className="px-2 pt-2 text-xs font-medium text-muted">{t("routing.services")}</div>
            </div>
          )}
          {results.data?.services.length === 0 && <p className="text-sm text-muted">{t("catalog.noMatch")}</p>}
          <ul className="max-h-72 overflow-auto" data-testid="order-service-results">
            {results.data?.services.map((s) => (
              <li key={s.id}>
                <button
                  type="button"
                  data-testid="order-service-option"
                  onClick={() => {
                    setOpen(false);
                    onPick(s.id);
                  }}
                  className="flex w-full items-center gap-3 rounded-md px-2 py-1.5 text-start text-sm hover:bg-hover focus-visible:outline-2 focus-visible:outline-accent"
                >
                  <span className="shrink-0 font-mono text-xs text-muted" dir="ltr">{s.provider} #{s.serviceId}</span>
                  <span className="min-w-0 flex-1 truncate" dir="auto">{s.name}</span>
                  <span className="shrink-0 text-xs text-fg-soft">{s.serviceType}</span>
                  <span className="shrink-0 text-xs font-medium">{formatAmount(s.rate, s.currency, language)}</span>
                </button>
              </li>
            ))}
          </ul>
        </div>
      )}
    </Card>
  );
}

export type Values = Record<Exclude<OrderField, "runs">, string> & { runs: string; interval: string };

export const EMPTY: Values = {
  link: "", quantity: "", comments: "", usernames: "", hashtags: "", keywords: "", groups: "",
  hashtag: "", username: "", media: "", answerNumber: "", runs: "", interval: "", subMin: "",
  subMax: "", posts: "", oldPosts: "", delay: "", expiry: "", country: "", device: "",
  typeOfTraffic: "", googleKeyword: "", referringUrl: "",
};

/** A whole number typed in a field, or null when empty (the engine reports bad values). */
function num(text: string): number | null {
  const t = text.trim();
  if (t === "") return null;
  const n = Number(t);
  return Number.isSafeInteger(n) && n >= 0 ? n : -1;
}

/** Who the order is sold to and for how much; a blank or malformed price is the price list's. */
export type Sale = { customer: string; salePrice: string | null };

/** The order the form describes: only the fields its type takes. */
export function buildOrder(
  service: { provider: string; serviceId: string; serviceType: string },
  v: Values,
  dripfeed: boolean,
  key: string,
  force: boolean,
  sale: Sale = { customer: "", salePrice: null },
): NewOrder_Deserialize {
  const fields = fieldsFor(service.serviceType);
  const has = (f: OrderField) => fields.includes(f);
  const text = (f: keyof Values) => (v[f].trim() === "" ? null : v[f].trim());
  const order: NewOrder_Deserialize = {
    provider: service.provider,
    serviceId: service.serviceId,
    idempotencyKey: key,
    force,
  };
  if (has("link")) order.link = text("link") ?? "";
  if (has("quantity")) order.quantity = num(v.quantity);
  for (const f of LIST_FIELDS) if (has(f)) order[f] = linesOf(v[f]);
  for (const f of TEXT_FIELDS) if (f !== "link" && has(f)) order[f] = text(f);
  for (const f of NUMBER_FIELDS) if (f !== "quantity" && has(f)) order[f] = num(v[f]);
  if (has("runs") && dripfeed) {
    order.runs = num(v.runs);
    order.interval = num(v.interval);
  }
  const customer = sale.customer.trim();
  if (customer !== "") order.customer = customer;
  const price = sale.salePrice?.trim() ?? "";
  if (isAmount(price)) order.salePrice = price;
  return order;
}

export function OrderForm({ service, onPlaced }: { service: ServiceView; onPlaced: (o: OrderView) => void }) {
  const { t, i18n } = useTranslation();
  const { language } = usePreferences();
  const [key] = useState(newIdempotencyKey);
  const [values, setValues] = useState<Values>(EMPTY);
  const [dripfeed, setDripfeed] = useState(false);
  const [touched, setTouched] = useState<ReadonlySet<string>>(new Set());
  const [submitted, setSubmitted] = useState(false);
  const [placeError, setPlaceError] = useState<UiError | null>(null);
  const [customer, setCustomer] = useState("");
  // null: not edited, the price list's price is shown and sent as none.
  const [saleText, setSaleText] = useState<string | null>(null);
  const [scheduling, setScheduling] = useState(false);
  const navigate = useNavigate();
  const fields = fieldsFor(service.serviceType);
  const has = (f: OrderField) => fields.includes(f);
  const sale: Sale = { customer, salePrice: saleText };
  const saleMalformed = saleText !== null && saleText.trim() !== "" && !isAmount(saleText.trim());

  const order = buildOrder(service, values, dripfeed, key, false, sale);
  const debounced = useDebounced(order, 150);
  const quote = useQuery({
    queryKey: ["quote", debounced],
    queryFn: () => commands.quoteOrder(debounced),
    placeholderData: keepPreviousData,
    retry: false,
    staleTime: 0,
  });
  const place = useMutation({
    mutationFn: (force: boolean) => commands.placeOrder(buildOrder(service, values, dripfeed, key, force, sale)),
    onSuccess: onPlaced,
    onError: (e) => {
      setPlaceError(toUiError(e));
    },
  });

  const quoteError = quote.isError ? toUiError(quote.error) : null;
  const shownError = placeError ?? quoteError;
  const errorFor = (f: string): string | undefined => {
    if (!shownError || shownError.field !== f) return undefined;
    if (!submitted && !touched.has(f) && placeError === null) return undefined;
    return errorText(i18n, shownError);
  };
  const set = (f: keyof Values) => (e: { target: { value: string } }) => {
    setValues((v) => ({ ...v, [f]: e.target.value }));
    setPlaceError(null);
  };
  const touch = (f: string) => () => {
    setTouched((s) => new Set(s).add(f));
  };
  const inputProps = (f: keyof Values) => ({
    id: `of-${f}`,
    "data-testid": `of-${f}`,
    value: values[f],
    onChange: set(f),
    onBlur: touch(f),
    "aria-invalid": errorFor(f) !== undefined,
    "aria-describedby": errorFor(f) !== undefined ? `of-${f}-error` : undefined,
    className: INPUT,
  });

  const textField = (f: keyof Values, opts: { ltr?: boolean | undefined; hint?: string | undefined; type?: string | undefined } = {}) => (
    <Field id={`of-${f}`} label={t(`order.fields.${f}`)} hint={opts.hint} error={errorFor(f)}>
      <input {...inputProps(f)} dir={opts.ltr ? "ltr" : undefined} type={opts.type ?? "text"} inputMode={opts.type === "number" ? "numeric" : undefined} />
    </Field>
  );
  const listField = (f: ListField) => {
    const count = linesOf(values[f]).length;
    return (
      <Field id={`of-${f}`} label={t(`order.fields.${f}`)} hint={t("order.onePerLine", { count: formatCount(count, language) })} error={errorFor(f)}>
        <textarea {...inputProps(f)} rows={5} className={`${INPUT} h-auto py-1.5`} />
      </Field>
    );
  };
  const minMax = t("order.minMax", { min: formatCount(service.min, language), max: formatCount(service.max, language) });

  const saleFields = ["customer", "salePrice"];
  const generalError = shownError && (submitted || placeError) && !fields.includes(shownError.field as OrderField) && shownError.field !== "interval" && !saleFields.includes(shownError.field ?? "") ? shownError : null;
  const salePriceError = saleMalformed && (submitted || touched.has("salePrice")) ? t("order.salePriceInvalid") : errorFor("salePrice");
  const suggested = quote.data?.saleFromPriceList === true ? quote.data.salePrice : null;

  return (
    <Card title={t("order.details")}>
      <form
        data-testid="order-form"
        data-type={service.serviceType}
        noValidate
        className="flex flex-col gap-4 px-5 py-4"
        onSubmit={(e) => {
          e.preventDefault();
          setSubmitted(true);
          setPlaceError(null);
          if (saleMalformed) return;
          place.mutate(false);
        }}
      >
        {has("link") && textField("link", { ltr: true, hint: t("order.linkHint") })}
        {has("username") && textField("username", { ltr: true })}
        {has("quantity") && textField("quantity", { type: "number", hint: minMax })}
        {has("comments") && listField("comments")}
        {has("usernames") && listField("usernames")}
        {has("hashtags") && listField("hashtags")}
        {has("keywords") && listField("keywords")}
        {has("groups") && listField("groups")}
        {has("hashtag") && textField("hashtag", { ltr: true })}
        {has("media") && textField("media", { ltr: true })}
        {has("answerNumber") && textField("answerNumber", { type: "number", hint: t("order.answerHint") })}
        {has("subMin") && (
          <div className="grid grid-cols-2 gap-4">
            {textField("subMin", { type: "number" })}
            {textField("subMax", { type: "number" })}
            {textField("posts", { type: "number", hint: t("order.postsHint") })}
            {textField("oldPosts", { type: "number" })}
            {textField("delay", { type: "number", hint: t("order.delayHint") })}
            {textField("expiry", { ltr: true, hint: t("order.expiryHint") })}
          </div>
        )}
        {has("country") && (
          <div className="grid grid-cols-2 gap-4">
            {textField("country")}
            <Field id="of-device" label={t("order.fields.device")} error={errorFor("device")}>
              <select {...inputProps("device")}>
                <option value="">—</option>
                {[1, 2, 3, 4, 5].map((d) => (
                  <option key={d} value={d}>{t(`order.devices.${d as 1 | 2 | 3 | 4 | 5}`)}</option>
                ))}
              </select>
            </Field>
            <Field id="of-typeOfTraffic" label={t("order.fields.typeOfTraffic")} error={errorFor("typeOfTraffic")}>
              <select {...inputProps("typeOfTraffic")}>
                <option value="">—</option>
                {[1, 2, 3].map((d) => (
                  <option key={d} value={d}>{t(`order.traffic.${d as 1 | 2 | 3}`)}</option>
                ))}
              </select>
            </Field>
            {values.typeOfTraffic === "1" && textField("googleKeyword")}
            {values.typeOfTraffic === "2" && textField("referringUrl", { ltr: true })}
          </div>
        )}
        {has("runs") && service.dripfeed && (
          <fieldset className="flex flex-col gap-3 rounded-md border border-line p-3">
            <label className="flex items-center gap-2 text-sm text-fg">
              <input type="checkbox" data-testid="of-dripfeed" checked={dripfeed} onChange={(e) => { setDripfeed(e.target.checked); }} className="size-4 accent-accent" />
              {t("order.dripfeed")}
            </label>
            {dripfeed && (
              <div className="grid grid-cols-2 gap-4">
                {textField("runs", { type: "number" })}
                {textField("interval", { type: "number", hint: t("order.intervalHint") })}
                <p className="col-span-2 text-xs text-muted" data-testid="dripfeed-total">
                  {t("order.dripfeedTotal", {
                    total: formatCount((num(values.quantity) ?? 0) * (num(values.runs) ?? 0), language),
                  })}
                </p>
              </div>
            )}
          </fieldset>
        )}
        <fieldset className="grid grid-cols-2 gap-4 rounded-md border border-line p-3" data-testid="order-sale">
          <legend className="px-1 text-xs font-medium text-muted">{t("order.sale")}</legend>
          <Field id="of-customer" label={t("order.customer")} hint={quote.data?.newCustomer === true ? t("order.newCustomer") : t("order.customerHint")} error={errorFor("customer")}>
            <CustomerInput
              id="of-customer"
              value={customer}
              invalid={errorFor("customer") !== undefined}
              onChange={(v) => {
                setCustomer(v);
                setPlaceError(null);
              }}
              onBlur={touch("customer")}
            />
          </Field>
          <Field
            id="of-salePrice"
            label={t("order.salePrice")}
            hint={saleText === null && suggested !== null ? t("order.salePriceFromList") : t("order.salePriceHint")}
            error={salePriceError}
          >
            <input
              id="of-salePrice"
              data-testid="of-salePrice"
              dir="ltr"
              inputMode="decimal"
              className={INPUT}
              value={saleText ?? suggested ?? ""}
              placeholder={quote.data ? quote.data.estimatedCost : ""}
              aria-invalid={salePriceError !== undefined}
              aria-describedby={salePriceError !== undefined ? "of-salePrice-error" : undefined}
              onChange={(e) => {
                setSaleText(e.target.value);
                setPlaceError(null);
              }}
              onBlur={touch("salePrice")}
            />
          </Field>
        </fieldset>
        <Estimate quote={quote.data} stale={quote.isError || quote.isPlaceholderData} provider={service.provider} />
        <SaleLine quote={quote.data} stale={quote.isError || quote.isPlaceholderData} />
        {generalError && <ErrorBanner error={generalError} testId="order-error" />}
        {placeError?.code === "order.insufficient_balance" && (
          <Button variant="danger" onClick={() => { place.mutate(true); }} data-testid="order-force">
            {t("order.placeAnyway")}
          </Button>
        )}
        <div className="flex justify-end gap-2">
          <Button data-testid="order-schedule" aria-expanded={scheduling} onClick={() => { setScheduling((v) => !v); }}>
            {t("schedules.fromOrder")}
          </Button>
          <Button type="submit" variant="primary" busy={place.isPending} data-testid="order-place">
            {t("order.place")}
          </Button>
        </div>
      </form>
      {scheduling && (
        <div className="border-t border-line p-4">
          <ScheduleForm
            mode={{ kind: "order", order: buildOrder(service, values, dripfeed, key, false, sale) }}
            onCancel={() => { setScheduling(false); }}
            onDone={() => { navigate({ screen: "schedules" }); }}
          />
        </div>
      )}
    </Card>
  );
}

function Estimate({
  quote,
  stale,
  provider,
}: {
  quote: { estimatedCost: string; currency: string | null; balance: string | null; exceedsBalance: boolean } | undefined;
  stale: boolean;
  provider: string;
}) {
  const { t } = useTranslation();
  const { language } = usePreferences();
  // Before the first good estimate, the balance comes from the provider list.
  const providers = useProviders();
  const p = providers.data?.find((x) => x.name === provider);
  const balance = quote?.balance ?? p?.balance ?? null;
  const currency = quote?.currency ?? p?.currency ?? null;
  return (
    <div className="grid grid-cols-2 gap-4 rounded-md bg-sunken px-4 py-3 text-sm" data-testid="order-estimate" data-stale={stale}>
      <div>
        <div className="text-xs text-muted">{t("order.estimate")}</div>
        <div className={`text-base font-semibold ${stale ? "text-muted" : "text-fg"}`} data-testid="order-cost">
          {quote ? formatAmount(quote.estimatedCost, quote.currency, language) : "—"}
        </div>
      </div>
      <div>
        <div className="text-xs text-muted">{t("order.balance")}</div>
        <div className="text-base font-semibold text-fg" data-testid="order-balance">
          {balance !== null ? formatAmount(balance, currency, language) : t("order.balanceUnknown")}
        </div>
        {quote?.exceedsBalance === true && (
          <div className="text-xs text-danger" role="alert">{t("order.exceeds")}</div>
        )}
      </div>
    </div>
  );
}



/** The quote's sale: what the customer pays, the profit and the margin; a warning below cost. */
function SaleLine({ quote, stale }: { quote: QuoteView | undefined; stale: boolean }) {
  const { t } = useTranslation();
  const { language } = usePreferences();
  if (!quote || quote.salePrice === null) {
    return (
      <p className="text-xs text-muted" data-testid="order-unsold">
        {t("order.unsold")}
      </p>
    );
  }
  const money = (a: string | null) => (a === null ? "—" : formatAmount(a, quote.currency, language));
  return (
    <div className="flex flex-col gap-2" data-testid="order-sale-line" data-stale={stale}>
      <div className="grid grid-cols-3 gap-4 rounded-md bg-sunken px-4 py-3 text-sm">
        <div>
          <div className="text-xs text-muted">{t("order.saleTotal")}</div>
          <div className="text-base font-semibold text-fg" data-testid="order-sale-price">{money(quote.salePrice)}</div>
        </div>
        <div>
          <div className="text-xs text-muted">{t("order.profit")}</div>
          <div className={`text-base font-semibold ${quote.belowCost ? "text-danger" : "text-fg"}`} data-testid="order-profit">
            {money(quote.profit)}
          </div>
        </div>
        <div>
          <div className="text-xs text-muted">{t("order.margin")}</div>
          <div className="text-base font-semibold text-fg" data-testid="order-margin">
            {quote.marginPercent === null ? "—" : formatPercentText(quote.marginPercent, language)}
          </div>
        </div>
      </div>
      {quote.belowCost && (
        <div role="alert" data-testid="order-below-cost" className="rounded-md border border-warning/40 bg-warning/10 px-3 py-2 text-sm text-warning">
          {t("order.belowCost")}
        </div>
      )}
    </div>
  );
}
