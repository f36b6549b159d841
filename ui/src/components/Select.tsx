// A labelled drop-down of [value, label] pairs, with an optional "any" choice (value "").
import { INPUT_BASE } from "./ui";

/** A filter's drop-down: `any` adds a first choice with the empty value. */
export function Select({
  label,
  testId,
  value,
  options,
  any,
  onChange,
}: {
  label: string;
  testId: string;
  value: string;
  options: readonly (readonly [string, string])[];
  any?: string | undefined;
  onChange: (value: string) => void;
}) {
  return (
    <select
      aria-label={label}
      data-testid={testId}
      value={value}
      onChange={(e) => {
        onChange(e.target.value);
      }}
      className={`${INPUT_BASE} w-auto max-w-48`}
    >
      {any !== undefined && <option value="">{any}</option>}
      {options.map(([v, l]) => (
        <option key={v} value={v}>
          {l}
        </option>
      ))}
    </select>
  );
}
