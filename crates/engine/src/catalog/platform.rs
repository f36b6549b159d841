//! What a service is, derived from its name and category: the platform, the kind of result,
//! and an offer key that groups the same offer across providers.

use serde::{Deserialize, Serialize};

/// The social network a service is for.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Platform {
    /// Instagram.
    Instagram,
    /// TikTok.
    Tiktok,
    /// YouTube.
    Youtube,
    /// Telegram.
    Telegram,
    /// X, formerly Twitter.
    Twitter,
    /// Facebook.
    Facebook,
    /// Spotify.
    Spotify,
    /// Twitch.
    Twitch,
    /// Discord.
    Discord,
    /// SoundCloud.
    Soundcloud,
    /// LinkedIn.
    Linkedin,
    /// Threads.
    Threads,
    /// Anything else.
    Other,
}

impl Platform {
    /// Every platform, `Other` last.
    pub const ALL: [Platform; 13] = [
        Platform::Instagram,
        Platform::Tiktok,
        Platform::Youtube,
        Platform::Telegram,
        Platform::Twitter,
        Platform::Facebook,
        Platform::Spotify,
        Platform::Twitch,
        Platform::Discord,
        Platform::Soundcloud,
        Platform::Linkedin,
        Platform::Threads,
        Platform::Other,
    ];

    /// The stored and wire name (`instagram`, `twitter`, …).
    pub fn as_str(self) -> &'static str {
        match self {
            Platform::Instagram => "instagram",
            Platform::Tiktok => "tiktok",
            Platform::Youtube => "youtube",
            Platform::Telegram => "telegram",
            Platform::Twitter => "twitter",
            Platform::Facebook => "facebook",
            Platform::Spotify => "spotify",
            Platform::Twitch => "twitch",
            Platform::Discord => "discord",
            Platform::Soundcloud => "soundcloud",
            Platform::Linkedin => "linkedin",
            Platform::Threads => "threads",
            Platform::Other => "other",
        }
    }

    /// The name shown to people.
    pub fn label(self) -> &'static str {
        match self {
            Platform::Instagram => "Instagram",
            Platform::Tiktok => "TikTok",
            Platform::Youtube => "YouTube",
            Platform::Telegram => "Telegram",
            Platform::Twitter => "X/Twitter",
            Platform::Facebook => "Facebook",
            Platform::Spotify => "Spotify",
            Platform::Twitch => "Twitch",
            Platform::Discord => "Discord",
            Platform::Soundcloud => "SoundCloud",
            Platform::Linkedin => "LinkedIn",
            Platform::Threads => "Threads",
            Platform::Other => "Other",
        }
    }

    /// Parses a user's platform name (`x`, `X/Twitter`, `TikTok`, `yt` …).
    pub fn parse(text: &str) -> Option<Platform> {
        let t: String = text
            .chars()
            .filter(|c| c.is_alphanumeric())
            .flat_map(char::to_lowercase)
            .collect();
        match t.as_str() {
            "x" | "xtwitter" | "twitterx" => return Some(Platform::Twitter),
            "ig" | "insta" => return Some(Platform::Instagram),
            "yt" => return Some(Platform::Youtube),
            "fb" => return Some(Platform::Facebook),
            "tg" => return Some(Platform::Telegram),
            _ => {}
        }
        Platform::ALL.into_iter().find(|p| p.as_str() == t)
    }

    /// Reads a stored name; unknown text is `Other`.
    pub fn from_stored(text: &str) -> Platform {
        Platform::ALL
            .into_iter()
            .find(|p| p.as_str() == text)
            .unwrap_or(Platform::Other)
    }
}

/// Lowercase alphanumeric words of `text` (emoji and punctuation are separators).
fn words(text: &str) -> Vec<String> {
    text.split(|c: char| !c.is_alphanumeric())
        .filter(|w| !w.is_empty())
        .map(str::to_lowercase)
        .collect()
}

fn platform_of_words(words: &[String]) -> Option<Platform> {
    let has = |w: &str| words.iter().any(|x| x == w);
    let starts = |p: &str| words.iter().any(|x| x.starts_with(p));
    // Threads before Instagram ("Instagram Threads followers" are Threads followers).
    if has("threads") {
        return Some(Platform::Threads);
    }
    if starts("tiktok") || (has("tik") && has("tok")) {
        return Some(Platform::Tiktok);
    }
    if starts("instagram") || has("ig") || has("insta") || has("igtv") {
        return Some(Platform::Instagram);
    }
    if starts("youtube") || has("yt") {
        return Some(Platform::Youtube);
    }
    if starts("telegram") || has("tg") {
        return Some(Platform::Telegram);
    }
    if starts("twitter") || starts("tweet") || starts("retweet") || has("x") {
        return Some(Platform::Twitter);
    }
    if starts("facebook") || has("fb") {
        return Some(Platform::Facebook);
    }
    if starts("spotify") {
        return Some(Platform::Spotify);
    }
    if starts("twitch") {
        return Some(Platform::Twitch);
    }
    if starts("discord") {
        return Some(Platform::Discord);
    }
    if starts("soundcloud") {
        return Some(Platform::Soundcloud);
    }
    if starts("linkedin") {
        return Some(Platform::Linkedin);
    }
    None
}

/// The platform: from the category when it names one, else from the service name.
pub fn platform(name: &str, category: &str) -> Platform {
    platform_of_words(&words(category))
        .or_else(|| platform_of_words(&words(name)))
        .unwrap_or(Platform::Other)
}

/// What a service delivers (followers, likes, views, …), from its type and name.
pub fn kind(name: &str, category: &str, service_type: &str) -> &'static str {
    let t = service_type.to_lowercase();
    if t.contains("comment") && t.contains("like") {
        return "comment_likes";
    }
    if t.contains("comment") {
        return "comments";
    }
    if t.contains("poll") {
        return "votes";
    }
    if t.contains("subscription") {
        return "auto";
    }
    if t.contains("traffic") {
        return "traffic";
    }
    if t.contains("mention") {
        return "mentions";
    }
    for text in [name, category] {
        let w = words(text);
        let starts = |p: &str| w.iter().any(|x| x.starts_with(p));
        let has = |p: &str| w.iter().any(|x| x == p);
        let found = if starts("comment") {
            "comments"
        } else if starts("follower") || starts("follow") {
            "followers"
        } else if starts("subscriber") || has("subs") || has("sub") {
            "subscribers"
        } else if starts("member") {
            "members"
        } else if starts("like") || starts("heart") {
            "likes"
        } else if starts("view") || starts("impression") {
            "views"
        } else if starts("play") || starts("stream") || starts("listen") {
            "plays"
        } else if starts("share") || starts("retweet") || starts("repost") {
            "shares"
        } else if starts("save") {
            "saves"
        } else if starts("reaction") {
            "reactions"
        } else if starts("vote") {
            "votes"
        } else if starts("watch") || starts("hour") {
            "watch_time"
        } else {
            continue;
        };
        return found;
    }
    "other"
}

/// Words that say nothing about what is delivered (speed, start time, marketing).
const NOISE: &[&str] = &[
    "instant",
    "fast",
    "faster",
    "fastest",
    "super",
    "ultra",
    "cheap",
    "cheapest",
    "best",
    "new",
    "top",
    "start",
    "speed",
    "quality",
    "service",
    "services",
    "and",
    "with",
    "the",
    "a",
    "of",
    "for",
    "per",
    "only",
    "max",
    "min",
    "k",
    "m",
    "day",
    "days",
    "d",
    "h",
    "hour",
    "hours",
    "minute",
    "minutes",
    "guaranteed",
    "guarantee",
    "speedy",
    "slow",
    "drip",
];

/// Rewrites refill mentions into one token: `refill30` ("R30", "Refill 30 Days", "30D refill"),
/// `norefill` ("No Refill", "Non Refill"). Runs after "30 days" became "30d".
fn refill_tokens(tokens: Vec<String>) -> Vec<String> {
    let days = |t: &str| -> Option<String> {
        let n = t.strip_suffix('d').unwrap_or(t);
        (!n.is_empty() && n.chars().all(|c| c.is_ascii_digit())).then(|| n.to_string())
    };
    let mut out: Vec<String> = Vec::with_capacity(tokens.len());
    let mut i = 0;
    while i < tokens.len() {
        let t = &tokens[i];
        if let Some(n) = t
            .strip_prefix('r')
            .filter(|n| !n.is_empty() && n.chars().all(|c| c.is_ascii_digit()))
        {
            out.push(format!("refill{n}"));
        } else if t == "refill" || t == "refills" {
            if let Some(n) = tokens.get(i + 1).and_then(|next| days(next)) {
                out.push(format!("refill{n}"));
                i += 1;
            } else if matches!(
                out.last().map(String::as_str),
                Some("no" | "non" | "without")
            ) {
                out.pop();
                out.push("norefill".into());
            } else if let Some(n) = out
                .last()
                .and_then(|prev| prev.strip_suffix('d').and_then(|_| days(prev)))
            {
                out.pop();
                out.push(format!("refill{n}"));
            } else {
                out.push("refill".into());
            }
        } else {
            out.push(t.clone());
        }
        i += 1;
    }
    out
}

/// A key shared by services that are the same offer: platform, kind, type and the name's
/// significant words (refill period, quality, origin, product), sorted so word order and
/// decoration (emoji, brackets, speed, start time, max) do not matter.
pub fn offer_key(platform: Platform, kind: &str, service_type: &str, name: &str) -> String {
    let raw = words(name);
    let mut tokens: Vec<String> = Vec::with_capacity(raw.len());
    for w in raw {
        // "30 days" and "30d" are the same.
        if matches!(w.as_str(), "d" | "day" | "days") {
            if let Some(prev) = tokens.last_mut() {
                if prev.chars().all(|c| c.is_ascii_digit()) {
                    prev.push('d');
                    continue;
                }
            }
        }
        tokens.push(w);
    }
    let mut tokens: Vec<String> = refill_tokens(tokens)
        .into_iter()
        .filter(|w| w.starts_with("refill") || !w.chars().any(|c| c.is_ascii_digit()))
        .filter(|w| !NOISE.contains(&w.as_str()))
        .filter(|w| platform_of_words(std::slice::from_ref(w)).is_none() && w != "twitter")
        .map(|w| singular(&w))
        .filter(|w| *w != singular(kind))
        .collect();
    tokens.sort();
    tokens.dedup();
    format!(
        "{}|{}|{}|{}",
        platform.as_str(),
        kind,
        service_type.to_lowercase(),
        tokens.join(" ")
    )
}

fn singular(w: &str) -> String {
    match w.strip_suffix('s') {
        Some(stem) if stem.len() > 2 && !w.ends_with("ss") => stem.to_string(),
        _ => w.to_string(),
    }
}

/// The lowercase text searched by the catalog query: service id, name and category.
pub fn search_text(service_id: &str, name: &str, category: &str) -> String {
    format!("{service_id} {name} {category}").to_lowercase()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn platforms_come_from_category_then_name() {
        let p = |n, c| platform(n, c);
        assert_eq!(
            p("Followers [Refill]", "Instagram Followers"),
            Platform::Instagram
        );
        assert_eq!(p("🔥 TikTok Likes", "Likes"), Platform::Tiktok);
        assert_eq!(p("Views", "YouTube Views"), Platform::Youtube);
        assert_eq!(p("Members", "Telegram"), Platform::Telegram);
        assert_eq!(p("X Followers", "Followers"), Platform::Twitter);
        assert_eq!(p("Retweets", "Twitter"), Platform::Twitter);
        assert_eq!(p("Page Likes", "Facebook"), Platform::Facebook);
        assert_eq!(p("Plays", "Spotify"), Platform::Spotify);
        assert_eq!(p("Followers", "Twitch"), Platform::Twitch);
        assert_eq!(p("Members", "Discord"), Platform::Discord);
        assert_eq!(p("Plays", "SoundCloud"), Platform::Soundcloud);
        assert_eq!(p("Connections", "LinkedIn"), Platform::Linkedin);
        assert_eq!(p("Followers", "Instagram Threads"), Platform::Threads);
        assert_eq!(p("Website visits", "Traffic"), Platform::Other);
        assert_eq!(p("Max 10x speed", "Misc"), Platform::Other);
    }

    #[test]
    fn platform_names_parse() {
        assert_eq!(Platform::parse("X/Twitter"), Some(Platform::Twitter));
        assert_eq!(Platform::parse("x"), Some(Platform::Twitter));
        assert_eq!(Platform::parse("TikTok"), Some(Platform::Tiktok));
        assert_eq!(Platform::parse("nope"), None);
        for p in Platform::ALL {
            assert_eq!(Platform::from_stored(p.as_str()), p);
        }
    }

    #[test]
    fn kinds_come_from_type_then_name() {
        assert_eq!(kind("Instagram Followers", "", "Default"), "followers");
        assert_eq!(kind("Post Likes", "", "Default"), "likes");
        assert_eq!(kind("Reel Views", "", "Default"), "views");
        assert_eq!(kind("Custom", "", "Custom Comments"), "comments");
        assert_eq!(kind("x", "", "Comment Likes"), "comment_likes");
        assert_eq!(kind("Channel Members", "", "Default"), "members");
        assert_eq!(
            kind("Something", "YouTube Subscribers", "Default"),
            "subscribers"
        );
    }

    #[test]
    fn the_same_offer_gets_the_same_key() {
        let k = |name: &str| {
            let p = platform(name, "");
            offer_key(p, kind(name, "", "Default"), "Default", name)
        };
        assert_eq!(
            k("Instagram Followers [Refill 30 Days] ⚡ Instant"),
            k("instagram followers | refill 30d | fast start")
        );
        assert_ne!(
            k("Instagram Followers [Refill 30 Days]"),
            k("Instagram Followers [No Refill]")
        );
        assert_ne!(k("Instagram Followers"), k("Instagram Likes"));
        assert_ne!(k("Instagram Followers"), k("TikTok Followers"));
        assert_eq!(
            k("Instagram Followers [HQ] [USA] [Max 100K] [R30] [Start: 0-1h] [Speed: 10K/Day] ⚡"),
            k("Instagram Followers [HQ] [USA] [Max 1M] [Refill 30 Days] [Start: Instant] [Speed: 50K/Day]")
        );
        assert_ne!(
            k("Instagram Followers [HQ] [R30]"),
            k("Instagram Followers [Real] [R30]")
        );
        assert_ne!(k("Instagram Story Views"), k("Instagram Reels Views"));
    }
}
