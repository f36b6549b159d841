// Which fields the New order form shows for a service type and what each field holds. Both
// come from the order definition in Rust (crates/panel/src/order_form.rs), generated into the
// bindings as `ORDER_FORMS` and `ORDER_FIELD_KINDS`: nothing here lists fields by hand, and
// the bindings test fails when the generated table is stale.
import { ORDER_FIELD_KINDS, ORDER_FORMS } from "../ipc/bindings";
import type { OrderField } from "../ipc/bindings";

export type { OrderField };

type Kinds = typeof ORDER_FIELD_KINDS;
type FieldsOfKind<K extends string> = { [F in keyof Kinds]: Kinds[F]["kind"] extends K ? F : never }[keyof Kinds];

/** The list fields: one entry per line in a text area. */
export type ListField = FieldsOfKind<"lines">;
/** The fields typed as one line of text (links, usernames, dates). */
export type TextField = FieldsOfKind<"url" | "text" | "date">;
/** The fields typed as whole numbers (counts, choices). */
export type NumberField = FieldsOfKind<"count" | "number" | "choice">;

const FIELDS = Object.keys(ORDER_FIELD_KINDS) as (keyof Kinds)[];
const ofKind = <F extends keyof Kinds>(...kinds: string[]) => FIELDS.filter((f) => kinds.includes(ORDER_FIELD_KINDS[f].kind)) as F[];

export const LIST_FIELDS: readonly ListField[] = ofKind<ListField>("lines");
export const TEXT_FIELDS: readonly TextField[] = ofKind<TextField>("url", "text", "date");
export const NUMBER_FIELDS: readonly NumberField[] = ofKind<NumberField>("count", "number", "choice");

/** The protocol's type name folded for comparison (`Custom Comments` → `customcomments`),
 *  as the engine folds it. */
export function typeKey(serviceType: string): string {
  return serviceType.toLowerCase().replace(/[\s_-]+/g, "");
}

function formOf(serviceType: string): (typeof ORDER_FORMS)[keyof typeof ORDER_FORMS] {
  const key = typeKey(serviceType);
  return key in ORDER_FORMS ? ORDER_FORMS[key as keyof typeof ORDER_FORMS] : ORDER_FORMS.other;
}

/** The fields a service type takes, in form order (unknown types: link, quantity, drip-feed). */
export function fieldsFor(serviceType: string): readonly OrderField[] {
  return formOf(serviceType).fields.map((r) => r.field);
}

/** The list whose line count is the quantity for this type (`comments`…), or null. */
export function quantityFrom(serviceType: string): OrderField | null {
  return formOf(serviceType).quantityFrom;
}

/** The lines of a text area, blank lines dropped. */
export function linesOf(text: string): string[] {
  return text
    .split(/\r?\n/)
    .map((l) => l.trim())
    .filter((l) => l !== "");
}
