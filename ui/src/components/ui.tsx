// Small building blocks shared by the screens: buttons, cards, fields, badges, states.
import type { ButtonHTMLAttributes, ReactNode } from "react";
import { useTranslation } from "react-i18next";

import { errorText } from "../ipc/errors";
import type { UiError } from "../ipc/errors";

const FOCUS = "focus-visible:outline-2 focus-visible:outline-offset-2 focus-visible:outline-accent";

type Variant = "primary" | "secondary" | "danger" | "ghost" | "dangerGhost";

const VARIANTS: Record<Variant, string> = {
  primary: "bg-accent text-white hover:bg-accent-strong dark:text-canvas",
  secondary: "border border-line-strong bg-panel text-fg hover:bg-hover",
  danger: "bg-danger text-white hover:opacity-90 dark:text-canvas",
  ghost: "text-fg-soft hover:bg-hover hover:text-fg",
  dangerGhost: "text-danger hover:bg-danger/10",
};

export function Button({
  variant = "secondary",
  busy = false,
  className = "",
  children,
  ...props
}: ButtonHTMLAttributes<HTMLButtonElement> & { variant?: Variant | undefined; busy?: boolean | undefined }) {
  return (
    <button
      type="button"
      {...props}
      disabled={props.disabled === true || busy}
      aria-busy={busy || undefined}
      className={`inline-flex h-8 items-center justify-center gap-1.5 rounded-md px-3 text-sm font-medium whitespace-nowrap transition-colors disabled:opacity-50 ${FOCUS} ${VARIANTS[variant]} ${className}`}
    >
      {busy && <Spinner />}
      {children}
    </button>
  );
}

export function Spinner({ label }: { label?: string | undefined }) {
  return (
    <span
      role={label ? "status" : undefined}
      aria-label={label}
      className="inline-block size-3.5 animate-spin rounded-full border-2 border-current border-e-transparent"
    />
  );
}

export function Card({
  title,
  actions,
  children,
  className = "",
}: {
  title?: ReactNode | undefined;
  actions?: ReactNode | undefined;
  children: ReactNode;
  className?: string | undefined;
}) {
  return (
    <section className={`rounded-lg border border-line bg-panel shadow-xs ${className}`}>
      {(title !== undefined || actions !== undefined) && (
        <div className="flex items-center justify-between gap-3 border-b border-line px-5 py-3">
          <h2 className="text-sm font-semibold text-fg">{title}</h2>
          {actions}
        </div>
      )}
      {children}
    </section>
  );
}

/** An input without a width (for inline filters). */
export const INPUT_BASE =
  "h-8 rounded-md border border-line-strong bg-panel px-2.5 text-sm text-fg placeholder:text-muted " +
  "aria-[invalid=true]:border-danger " +
  FOCUS;

/** A full-width input (in forms). */
export const INPUT = `${INPUT_BASE} w-full`;

/** A labelled form field with its hint and, in place, its error. */
export function Field({
  id,
  label,
  hint,
  error,
  children,
}: {
  id: string;
  label: string;
  hint?: ReactNode | undefined;
  error?: string | undefined;
  children: ReactNode;
}) {
  return (
    <div className="flex flex-col gap-1" data-field={id}>
      <label htmlFor={id} className="text-xs font-medium text-fg-soft">
        {label}
      </label>
      {children}
      {error !== undefined ? (
        <p id={`${id}-error`} role="alert" data-testid={`error-${id}`} className="text-xs text-danger">
          {error}
        </p>
      ) : (
        hint !== undefined && (
          <p id={`${id}-hint`} className="text-xs text-muted">
            {hint}
          </p>
        )
      )}
    </div>
  );
}

type Tone = "neutral" | "accent" | "success" | "warning" | "danger";
const TONES: Record<Tone, string> = {
  neutral: "bg-sunken text-fg-soft",
  accent: "bg-accent-soft text-accent-strong",
  success: "bg-success/12 text-success",
  warning: "bg-warning/15 text-warning",
  danger: "bg-danger/12 text-danger",
};

export function Badge({
  tone = "neutral",
  title,
  children,
  testId,
}: {
  tone?: Tone | undefined;
  title?: string | undefined;
  children: ReactNode;
  testId?: string | undefined;
}) {
  return (
    <span
      title={title}
      data-testid={testId}
      className={`inline-flex items-center rounded px-1.5 py-0.5 text-[11px] font-medium whitespace-nowrap ${TONES[tone]}`}
    >
      {children}
    </span>
  );
}

/** An error from a command, translated from its code. */
export function ErrorBanner({ error, testId }: { error: UiError; testId?: string | undefined }) {
  const { i18n } = useTranslation();
  return (
    <p
      role="alert"
      data-testid={testId ?? "error-banner"}
      data-code={error.code}
      className="rounded-md border border-danger/30 bg-danger/10 px-4 py-2.5 text-sm text-danger"
    >
      {errorText(i18n, error)}
    </p>
  );
}

export function EmptyState({
  title,
  text,
  children,
  testId,
}: {
  title: string;
  text?: string | undefined;
  children?: ReactNode | undefined;
  testId?: string | undefined;
}) {
  return (
    <section
      data-testid={testId}
      className="flex flex-col items-center justify-center gap-2 rounded-lg border border-dashed border-line-strong bg-panel/60 px-6 py-14 text-center"
    >
      <h2 className="text-base font-semibold text-fg">{title}</h2>
      {text !== undefined && <p className="max-w-md text-sm text-muted">{text}</p>}
      {children !== undefined && <div className="mt-3 flex flex-wrap justify-center gap-2">{children}</div>}
    </section>
  );
}

export function Loading() {
  const { t } = useTranslation();
  return (
    <div className="flex items-center gap-2 px-5 py-8 text-sm text-muted" data-testid="loading">
      <Spinner />
      {t("common.loading")}
    </div>
  );
}

/** A modal confirmation (Escape or Cancel closes it). */
export function ConfirmDialog({
  title,
  text,
  confirmLabel,
  busy,
  onConfirm,
  onCancel,
}: {
  title: string;
  text: string;
  confirmLabel: string;
  busy?: boolean | undefined;
  onConfirm: () => void;
  onCancel: () => void;
}) {
  const { t } = useTranslation();
  return (
    <div
      className="fixed inset-0 z-50 flex items-center justify-center bg-black/40 p-4"
      onKeyDown={(e) => {
        if (e.key === "Escape") onCancel();
      }}
    >
      <div
        role="alertdialog"
        aria-modal="true"
        aria-labelledby="confirm-title"
        data-testid="confirm-dialog"
        className="w-full max-w-md rounded-lg border border-line bg-panel p-5 shadow-lg"
      >
        <h2 id="confirm-title" className="text-base font-semibold text-fg">
          {title}
        </h2>
        <p className="mt-2 text-sm text-fg-soft">{text}</p>
        <div className="mt-5 flex justify-end gap-2">
          <Button onClick={onCancel} autoFocus data-testid="confirm-cancel">
            {t("common.cancel")}
          </Button>
          <Button variant="danger" busy={busy} onClick={onConfirm} data-testid="confirm-ok">
            {confirmLabel}
          </Button>
        </div>
      </div>
    </div>
  );
}

/** The translated text of an error. */
export function useErrorText(): (error: UiError) => string {
  const { i18n } = useTranslation();
  return (error) => errorText(i18n, error);
}
