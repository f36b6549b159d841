// Platforms and service types the catalog filters offer (the engine's and the protocol's names).

/** Platform ids as the engine derives them. */
export const PLATFORMS = [
  "instagram",
  "tiktok",
  "youtube",
  "telegram",
  "twitter",
  "facebook",
  "spotify",
  "twitch",
  "discord",
  "soundcloud",
  "linkedin",
  "threads",
  "other",
] as const;

export type PlatformId = (typeof PLATFORMS)[number];

/** The service types of the protocol (SMM API v2), as providers write them. */
export const SERVICE_TYPES = [
  "Default",
  "Package",
  "Custom Comments",
  "Custom Comments Package",
  "SEO",
  "Mentions",
  "Mentions with Hashtags",
  "Mentions Custom List",
  "Mentions Hashtag",
  "Mentions User Followers",
  "Mentions Media Likers",
  "Comment Likes",
  "Comment Replies",
  "Poll",
  "Invites from Groups",
  "Subscriptions",
  "Web Traffic",
] as const;
