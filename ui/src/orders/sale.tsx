// What the order is sold for: the customer field (free text, suggestions from the customer
// list) and the checks the sale fields share.
import { keepPreviousData, useQuery } from "@tanstack/react-query";

import { INPUT } from "../components/ui";
import { commands } from "../ipc/bindings";
import { KEYS } from "../ipc/useEngineEvents";
import { useDebounced } from "../lib/useDebounced";

/** A plain decimal amount as the engine takes it ("12", "0.5"; no sign, exponent or grouping). */
export function isAmount(text: string): boolean {
  return /^\d{1,10}(\.\d{1,8})?$/.test(text);
}

/** The customers whose name or contact contains `search`, for suggestions. */
export function useCustomers(search: string) {
  const term = useDebounced(search.trim(), 150);
  return useQuery({
    queryKey: [...KEYS.customers, term],
    queryFn: () => commands.listCustomers(term === "" ? null : term),
    placeholderData: keepPreviousData,
  });
}

export function CustomerInput({
  id,
  value,
  invalid,
  onChange,
  onBlur,
}: {
  id: string;
  value: string;
  invalid: boolean;
  onChange: (v: string) => void;
  onBlur?: (() => void) | undefined;
}) {
  const customers = useCustomers(value);
  const listId = `${id}-suggestions`;
  return (
    <>
      <input
        id={id}
        data-testid={id}
        dir="auto"
        autoComplete="off"
        list={listId}
        className={INPUT}
        value={value}
        maxLength={100}
        aria-invalid={invalid}
        aria-describedby={invalid ? `${id}-error` : undefined}
        onChange={(e) => {
          onChange(e.target.value);
        }}
        onBlur={onBlur}
      />
      <datalist id={listId} data-testid={`${id}-suggestions`}>
        {customers.data?.map((c) => (
          <option key={c.id} value={c.name}>
            {c.contact ?? ""}
          </option>
        ))}
      </datalist>
    </>
  );
}
