// Offer groups: the same offer on several providers, saved so an order can go to the best of
// them (and on to the next when one certainly refuses). Create from the catalog's suggestions
// or by hand; delete with a confirmation.
import { keepPreviousData, useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { useState } from "react";
import { useTranslation } from "react-i18next";

import { Badge, Button, Card, ConfirmDialog, EmptyState, ErrorBanner, Field, INPUT, INPUT_BASE, Loading } from "../components/ui";
import { commands } from "../ipc/bindings";
import type { GroupSuggestionView_Serialize as Suggestion, MemberRef, RouteRule } from "../ipc/bindings";
import { errorText, toUiError } from "../ipc/errors";
import type { UiError } from "../ipc/errors";
import { formatAmount, formatCount } from "../lib/format";
import { usePreferences } from "../preferences/PreferencesProvider";
import { useOfferGroups } from "./GroupOrder";

/** The members typed one per line as `provider service_id` (or `provider|service_id`, `provider #id`);
 *  `null` names the first line that is not one. */
export function parseMembers(text: string): { members: MemberRef[]; badLine: number | null } {
  const members: MemberRef[] = [];
  const lines = text.split(/\r?\n/);
  for (let i = 0; i < lines.length; i++) {
    const line = (lines[i] ?? "").trim();
    if (line === "") continue;
    const parts = line.split(/[\s|#]+/).filter((p) => p !== "");
    if (parts.length !== 2) return { members, badLine: i + 1 };
    members.push({ provider: parts[0] ?? "", serviceId: parts[1] ?? "" });
  }
  return { members, badLine: null };
}

/** The members as the text area shows them. */
function membersText(members: { provider: string; serviceId: string }[]): string {
  return members.map((m) => `${m.provider} ${m.serviceId}`).join("\n");
}

export function OfferGroupsView() {
  const { t } = useTranslation();
  const [draft, setDraft] = useState<{ name: string; rule: RouteRule; members: string } | null>(null);
  return (
    <section className="flex min-h-0 flex-1 flex-col gap-4 overflow-auto" data-testid="offer-groups-view">
      <p className="text-sm text-muted">{t("routing.intro")}</p>
      <SavedGroups onNew={() => { setDraft({ name: "", rule: "cheapest", members: "" }); }} />
      {draft && <GroupForm key={`${draft.name}/${draft.members}`} initial={draft} onDone={() => { setDraft(null); }} />}
      <Suggestions onUse={(s) => { setDraft({ name: s.name, rule: "cheapest", members: membersText(s.members) }); }} />
    </section>
  );
}

function SavedGroups({ onNew }: { onNew: () => void }) {
  const { t } = useTranslation();
  const { language } = usePreferences();
  const client = useQueryClient();
  const groups = useOfferGroups();
  const [removing, setRemoving] = useState<string | null>(null);
  const remove = useMutation({
    mutationFn: (name: string) => commands.removeOfferGroup(name),
    onSuccess: () => {
      setRemoving(null);
      void client.invalidateQueries({ queryKey: ["offer-groups"] });
    },
  });
  return (
    <Card
      title={t("routing.groups")}
      actions={<Button variant="primary" onClick={onNew} data-testid="group-new">{t("routing.newGroup")}</Button>}
    >
      {groups.isPending ? (
        <Loading />
      ) : groups.isError ? (
        <ErrorBanner error={toUiError(groups.error)} />
      ) : groups.data.length === 0 ? (
        <p className="px-5 py-4 text-sm text-muted" data-testid="groups-empty">{t("routing.noGroups")}</p>
      ) : (
        <ul className="flex flex-col" data-testid="group-list">
          {groups.data.map((g) => (
            <li key={g.id} className="border-b border-line px-5 py-3 last:border-0" data-testid="group-row" data-group={g.name}>
              <div className="flex flex-wrap items-center gap-2">
                <span className="font-medium text-fg" dir="auto">{g.name}</span>
                <Badge tone="accent">{t(`routing.rules.${g.rule}`)}</Badge>
                <span className="flex-1" />
                <Button variant="danger" className="h-7 px-2 text-xs" onClick={() => { setRemoving(g.name); }} data-testid="group-remove">
                  {t("routing.remove")}
                </Button>
              </div>
              <ol className="mt-1 flex flex-col gap-0.5 text-xs text-fg-soft">
                {g.members.map((m) => (
                  <li key={`${m.provider}/${m.serviceId}`} className="flex flex-wrap gap-x-3" data-testid="group-member">
                    <span className="text-muted">{formatCount(m.position, language)}.</span>
                    <bdi dir="ltr">{m.provider} #{m.serviceId}</bdi>
                    <bdi>{m.serviceName ?? t("routing.gone")}</bdi>
                    {m.rate !== null && <span>{formatAmount(m.rate, m.currency, language)}</span>}
                    {!m.providerActive && <Badge tone="warning">{t("routing.inactive")}</Badge>}
                  </li>
                ))}
              </ol>
            </li>
          ))}
        </ul>
      )}
      {remove.isError && <ErrorBanner error={toUiError(remove.error)} />}
      {removing !== null && (
        <ConfirmDialog
          title={t("routing.removeTitle", { name: removing })}
          text={t("routing.removeText")}
          confirmLabel={t("routing.remove")}
          busy={remove.isPending}
          onConfirm={() => { remove.mutate(removing); }}
          onCancel={() => { setRemoving(null); }}
        />
      )}
    </Card>
  );
}

export function GroupForm({ initial, onDone }: { initial: { name: string; rule: RouteRule; members: string }; onDone: () => void }) {
  const { t, i18n } = useTranslation();
  const client = useQueryClient();
  const [name, setName] = useState(initial.name);
  const [rule, setRule] = useState<RouteRule>(initial.rule);
  const [members, setMembers] = useState(initial.members);
  const [error, setError] = useState<UiError | null>(null);
  const parsed = parseMembers(members);
  const save = useMutation({
    mutationFn: () => commands.addOfferGroup({ name, rule, members: parsed.members }),
    onSuccess: () => {
      void client.invalidateQueries({ queryKey: ["offer-groups"] });
      void client.invalidateQueries({ queryKey: ["group-suggestions"] });
      onDone();
    },
    onError: (e) => { setError(toUiError(e)); },
  });
  const errorOn = (field: string) => (error?.field === field ? errorText(i18n, error) : undefined);
  const membersError = parsed.badLine !== null && error?.code === "routing.member_line" ? t("routing.memberLineInvalid", { line: parsed.badLine }) : errorOn("members");
  const general = error && !["name", "members", "rule"].includes(error.field ?? "") && error.code !== "routing.member_line" ? error : null;
  return (
    <Card title={t("routing.newGroup")}>
      <form
        className="flex flex-col gap-4 px-5 py-4"
        data-testid="group-form"
        noValidate
        onSubmit={(e) => {
          e.preventDefault();
          if (parsed.badLine !== null) {
            setError({ code: "routing.member_line", message: "", field: "members" });
            return;
          }
          setError(null);
          save.mutate();
        }}
      >
        <div className="grid grid-cols-2 gap-4">
          <Field id="group-name" label={t("routing.name")} error={errorOn("name")}>
            <input id="group-name" data-testid="group-name" className={INPUT} dir="auto" value={name}
              aria-invalid={errorOn("name") !== undefined} aria-describedby={errorOn("name") !== undefined ? "group-name-error" : undefined}
              onChange={(e) => { setName(e.target.value); setError(null); }} />
          </Field>
          <Field id="group-rule" label={t("routing.rule")} hint={t(`routing.ruleHint.${rule}`)} error={errorOn("rule")}>
            <select id="group-rule" data-testid="group-rule" className={INPUT} value={rule}
              onChange={(e) => { setRule(e.target.value as RouteRule); setError(null); }}>
              <option value="cheapest">{t("routing.rules.cheapest")}</option>
              <option value="preference">{t("routing.rules.preference")}</option>
            </select>
          </Field>
        </div>
        <Field id="group-members" label={t("routing.members")} hint={t("routing.membersHint")} error={membersError}>
          <textarea id="group-members" data-testid="group-members" rows={4} dir="ltr" className={`${INPUT} h-auto py-1.5 font-mono text-xs`}
            value={members} placeholder={"provider-a 101\nprovider-b 2044"}
            aria-invalid={membersError !== undefined} aria-describedby={membersError !== undefined ? "group-members-error" : undefined}
            onChange={(e) => { setMembers(e.target.value); setError(null); }} />
        </Field>
        {general && <ErrorBanner error={general} testId="group-error" />}
        <div className="flex justify-end gap-2">
          <Button onClick={onDone} data-testid="group-cancel">{t("common.cancel")}</Button>
          <Button type="submit" variant="primary" busy={save.isPending} data-testid="group-save">{t("routing.save")}</Button>
        </div>
      </form>
    </Card>
  );
}

function Suggestions({ onUse }: { onUse: (s: Suggestion) => void }) {
  const { t } = useTranslation();
  const { language } = usePreferences();
  const [search, setSearch] = useState("");
  const list = useQuery({
    queryKey: ["group-suggestions", search],
    queryFn: () => commands.suggestOfferGroups(search.trim() || null, null),
    placeholderData: keepPreviousData,
  });
  return (
    <Card title={t("routing.suggestions")}>
      <div className="flex flex-col gap-3 px-5 py-3">
        <p className="text-xs text-muted">{t("routing.suggestionsText")}</p>
        <input type="search" aria-label={t("catalog.search")} placeholder={t("catalog.search")} data-testid="suggest-search"
          className={`${INPUT_BASE} w-72`} value={search} onChange={(e) => { setSearch(e.target.value); }} />
        {list.isPending ? (
          <Loading />
        ) : list.isError ? (
          <ErrorBanner error={toUiError(list.error)} />
        ) : list.data.length === 0 ? (
          <EmptyState title={t("catalog.compareEmpty")} text={t("catalog.compareEmptyText")} />
        ) : (
          <ul className="flex flex-col gap-2">
            {list.data.map((s) => (
              <li key={membersText(s.members)} className="rounded-md border border-line px-3 py-2" data-testid="suggestion">
                <div className="flex flex-wrap items-center gap-2 text-sm">
                  <bdi className="font-medium">{s.name}</bdi>
                  <span className="text-xs text-muted">{s.kind}</span>
                  <span className="flex-1" />
                  {s.savedAs !== null ? (
                    <Badge tone="success" testId="suggestion-saved">{t("routing.savedAs", { name: s.savedAs })}</Badge>
                  ) : (
                    <Button className="h-7 px-2 text-xs" onClick={() => { onUse(s); }} data-testid="suggestion-use">{t("routing.useSuggestion")}</Button>
                  )}
                </div>
                <div className="mt-1 flex flex-wrap gap-x-4 text-xs text-fg-soft">
                  {s.members.map((m) => (
                    <span key={m.serviceRef}>
                      <bdi dir="ltr">{m.provider} #{m.serviceId}</bdi> {formatAmount(m.rate, m.currency, language)}
                    </span>
                  ))}
                </div>
              </li>
            ))}
          </ul>
        )}
      </div>
    </Card>
  );
}
