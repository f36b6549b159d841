// Which fields the New order form shows for a service type.
//
// This mirrors the engine's `allowed_fields` (crates/engine/src/orders/validate.rs); the
// engine still checks every order, so a drift shows up as a translated error, never as a bad
// order. TODO(engine): expose the table (e.g. `order_fields(service_type)`) and use it here.

/** A field of the form (the names of `OrderInput`). */
export type OrderField =
  | "link"
  | "quantity"
  | "comments"
  | "usernames"
  | "hashtags"
  | "keywords"
  | "groups"
  | "hashtag"
  | "username"
  | "media"
  | "answerNumber"
  | "runs"
  | "subMin"
  | "subMax"
  | "posts"
  | "oldPosts"
  | "delay"
  | "expiry"
  | "country"
  | "device"
  | "typeOfTraffic"
  | "googleKeyword"
  | "referringUrl";

/** The protocol's type name folded for comparison (`Custom Comments` → `customcomments`). */
export function typeKey(serviceType: string): string {
  return serviceType.toLowerCase().replace(/[\s_-]+/g, "");
}

const FIELDS: Record<string, readonly OrderField[]> = {
  default: ["link", "quantity", "runs"],
  package: ["link"],
  customcomments: ["link", "comments"],
  customcommentspackage: ["link", "comments"],
  seo: ["link", "quantity", "keywords"],
  mentions: ["link", "quantity", "usernames"],
  mentionswithhashtags: ["link", "quantity", "usernames", "hashtags"],
  mentionscustomlist: ["link", "usernames"],
  mentionshashtag: ["link", "quantity", "hashtag"],
  mentionsuserfollowers: ["link", "quantity", "username"],
  commentlikes: ["link", "quantity", "username"],
  mentionsmedialikers: ["link", "quantity", "media"],
  commentreplies: ["link", "username", "comments"],
  poll: ["link", "quantity", "answerNumber"],
  invitesfromgroups: ["link", "quantity", "groups"],
  subscriptions: ["username", "subMin", "subMax", "posts", "oldPosts", "delay", "expiry"],
  webtraffic: ["link", "quantity", "runs", "country", "device", "typeOfTraffic", "googleKeyword", "referringUrl"],
};

/** The fields a service type takes (unknown types: link, quantity, drip-feed). */
export function fieldsFor(serviceType: string): readonly OrderField[] {
  return FIELDS[typeKey(serviceType)] ?? FIELDS.default ?? [];
}

/** The list fields: one entry per line in a text area. */
export const LIST_FIELDS = ["comments", "usernames", "hashtags", "keywords", "groups"] as const;
export type ListField = (typeof LIST_FIELDS)[number];

/** The lines of a text area, blank lines dropped. */
export function linesOf(text: string): string[] {
  return text
    .split(/\r?\n/)
    .map((l) => l.trim())
    .filter((l) => l !== "");
}
