// A segmented control (a radio group drawn as joined buttons).
export interface SegmentedOption<T extends string> {
  value: T;
  label: string;
  /** The language of the label when it differs from the interface (e.g. "العربية"). */
  lang?: string;
}

export function Segmented<T extends string>({
  name,
  label,
  value,
  options,
  onChange,
}: {
  name: string;
  label: string;
  value: T;
  options: readonly SegmentedOption<T>[];
  onChange: (value: T) => void;
}) {
  return (
    <div
      role="radiogroup"
      aria-label={label}
      className="inline-flex rounded-md border border-line bg-sunken p-0.5"
    >
      {options.map((option) => {
        const checked = option.value === value;
        return (
          <button
            key={option.value}
            type="button"
            role="radio"
            aria-checked={checked}
            lang={option.lang}
            data-testid={`${name}-${option.value}`}
            onClick={() => {
              if (!checked) onChange(option.value);
            }}
            className={
              "min-w-20 rounded-[5px] px-3 py-1.5 text-sm transition-colors " +
              "focus-visible:outline-2 focus-visible:outline-offset-1 focus-visible:outline-accent " +
              (checked
                ? "bg-panel font-medium text-fg shadow-sm"
                : "text-muted hover:text-fg")
            }
          >
            {option.label}
          </button>
        );
      })}
    </div>
  );
}
