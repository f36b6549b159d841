//! A believable, seeded catalog: platforms, products, every service type.

use rand::rngs::SmallRng;
use rand::{Rng, SeedableRng};
use rust_decimal::Decimal;

use crate::service::{Service, ServiceType};

/// A product a platform sells: its name, natural type and price band (per 1000, in 1/10000).
struct Product {
    name: &'static str,
    service_type: fn(&mut SmallRng) -> ServiceType,
    rate: (i64, i64),
}

fn default_type(_: &mut SmallRng) -> ServiceType {
    ServiceType::Default
}

fn comments_type(rng: &mut SmallRng) -> ServiceType {
    match rng.random_range(0..6) {
        0 => ServiceType::CustomCommentsPackage,
        1 => ServiceType::CommentReplies,
        _ => ServiceType::CustomComments,
    }
}

fn mentions_type(rng: &mut SmallRng) -> ServiceType {
    match rng.random_range(0..6) {
        0 => ServiceType::Mentions,
        1 => ServiceType::MentionsWithHashtags,
        2 => ServiceType::MentionsCustomList,
        3 => ServiceType::MentionsHashtag,
        4 => ServiceType::MentionsUserFollowers,
        _ => ServiceType::MentionsMediaLikers,
    }
}

fn poll_type(_: &mut SmallRng) -> ServiceType {
    ServiceType::Poll
}

fn invites_type(_: &mut SmallRng) -> ServiceType {
    ServiceType::InvitesFromGroups
}

fn subscriptions_type(_: &mut SmallRng) -> ServiceType {
    ServiceType::Subscriptions
}

fn package_type(_: &mut SmallRng) -> ServiceType {
    ServiceType::Package
}

fn comment_likes_type(_: &mut SmallRng) -> ServiceType {
    ServiceType::CommentLikes
}

fn traffic_type(_: &mut SmallRng) -> ServiceType {
    ServiceType::WebTraffic
}

fn seo_type(_: &mut SmallRng) -> ServiceType {
    ServiceType::Seo
}

const fn p(
    name: &'static str,
    service_type: fn(&mut SmallRng) -> ServiceType,
    rate: (i64, i64),
) -> Product {
    Product {
        name,
        service_type,
        rate,
    }
}

/// Platforms and what they sell.
fn platforms() -> Vec<(&'static str, Vec<Product>)> {
    vec![
        (
            "Instagram",
            vec![
                p("Followers", default_type, (4_000, 80_000)),
                p("Likes", default_type, (500, 20_000)),
                p("Views", default_type, (50, 3_000)),
                p("Story Views", default_type, (100, 5_000)),
                p("Reels Views", default_type, (50, 2_000)),
                p("Saves", default_type, (300, 8_000)),
                p("Comments", comments_type, (20_000, 300_000)),
                p("Comment Likes", comment_likes_type, (2_000, 40_000)),
                p("Mentions", mentions_type, (10_000, 150_000)),
                p("Auto Likes", subscriptions_type, (800, 20_000)),
                p("Starter Package", package_type, (10_000, 500_000)),
            ],
        ),
        (
            "TikTok",
            vec![
                p("Followers", default_type, (6_000, 90_000)),
                p("Likes", default_type, (800, 25_000)),
                p("Views", default_type, (20, 1_500)),
                p("Shares", default_type, (1_000, 20_000)),
                p("Live Stream Views", default_type, (20_000, 200_000)),
                p("Comments", comments_type, (30_000, 400_000)),
                p("Auto Views", subscriptions_type, (100, 5_000)),
            ],
        ),
        (
            "YouTube",
            vec![
                p("Subscribers", default_type, (100_000, 600_000)),
                p("Views", default_type, (5_000, 60_000)),
                p("Likes", default_type, (5_000, 50_000)),
                p("Watch Time Hours", default_type, (150_000, 500_000)),
                p("Shorts Views", default_type, (1_000, 20_000)),
                p("Comments", comments_type, (50_000, 400_000)),
                p("Comment Likes", comment_likes_type, (10_000, 80_000)),
            ],
        ),
        (
            "Telegram",
            vec![
                p("Channel Members", default_type, (5_000, 60_000)),
                p("Post Views", default_type, (100, 3_000)),
                p("Reactions", default_type, (1_000, 20_000)),
                p("Poll Votes", poll_type, (5_000, 50_000)),
                p("Group Members", invites_type, (10_000, 90_000)),
                p("Auto Post Views", subscriptions_type, (100, 3_000)),
            ],
        ),
        (
            "X (Twitter)",
            vec![
                p("Followers", default_type, (15_000, 150_000)),
                p("Likes", default_type, (5_000, 60_000)),
                p("Retweets", default_type, (8_000, 70_000)),
                p("Impressions", default_type, (200, 5_000)),
                p("Poll Votes", poll_type, (10_000, 60_000)),
                p("Mentions", mentions_type, (20_000, 200_000)),
            ],
        ),
        (
            "Facebook",
            vec![
                p("Page Likes", default_type, (10_000, 120_000)),
                p("Page Followers", default_type, (8_000, 100_000)),
                p("Post Likes", default_type, (3_000, 40_000)),
                p("Video Views", default_type, (500, 10_000)),
                p("Group Members", invites_type, (15_000, 100_000)),
                p("Comments", comments_type, (40_000, 300_000)),
            ],
        ),
        (
            "Spotify",
            vec![
                p("Plays", default_type, (2_000, 20_000)),
                p("Followers", default_type, (5_000, 50_000)),
                p("Monthly Listeners", default_type, (10_000, 90_000)),
                p("Playlist Followers", default_type, (5_000, 60_000)),
            ],
        ),
        (
            "Website",
            vec![
                p("Traffic", traffic_type, (1_000, 30_000)),
                p("SEO Keyword Traffic", seo_type, (10_000, 80_000)),
            ],
        ),
        (
            "Twitch",
            vec![
                p("Followers", default_type, (5_000, 60_000)),
                p("Live Viewers", default_type, (50_000, 400_000)),
            ],
        ),
        (
            "LinkedIn",
            vec![
                p("Followers", default_type, (100_000, 500_000)),
                p("Post Likes", default_type, (80_000, 300_000)),
            ],
        ),
    ]
}

const QUALITIES: [&str; 8] = [
    "Real",
    "HQ",
    "Mixed Quality",
    "Active Users",
    "Bot",
    "Premium",
    "Non-Drop ♻️",
    "Targeted",
];
// Real catalogs are full of emoji (flags, ♻️ with its variation selector, ⚡): the demo
// shows them too, so the UI's emoji font fallback is seen (and tested end to end).
const ORIGINS: [&str; 7] = [
    "Worldwide",
    "USA",
    "Arab",
    "Brazil 🇧🇷",
    "India",
    "Europe",
    "Turkey 🇹🇷",
];
const SPEEDS: [&str; 6] = ["1K", "5K", "10K", "50K", "100K", "500K"];
const STARTS: [&str; 4] = ["0-1h", "0-6h", "Instant", "0-24h"];
const EMOJI: [&str; 5] = ["⚡", "🔥", "💎", "✅", ""];
const MINS: [u64; 6] = [10, 20, 50, 100, 500, 1000];
const MAXES: [u64; 7] = [1000, 5000, 10_000, 50_000, 100_000, 1_000_000, 10_000_000];

/// Generates `size` services (clamped to 50…50,000), the same for the same seed. Ids run from
/// 1; every known service type appears.
pub fn generate_catalog(seed: u64, size: usize) -> Vec<Service> {
    let size = size.clamp(50, 50_000);
    let mut rng = SmallRng::seed_from_u64(seed ^ 0x5EED_CA7A_1060);
    let platforms = platforms();
    let mut out = Vec::with_capacity(size);
    for n in 0..size {
        let (platform, products) = &platforms[rng.random_range(0..platforms.len())];
        let product = &products[rng.random_range(0..products.len())];
        // The first services walk every known type so small catalogs have all of them.
        let service_type = match ServiceType::KNOWN.get(n) {
            Some(t) => t.clone(),
            None => (product.service_type)(&mut rng),
        };
        out.push(make_service(
            &mut rng,
            n as u64 + 1,
            platform,
            product,
            service_type,
        ));
    }
    out
}

fn make_service(
    rng: &mut SmallRng,
    id: u64,
    platform: &str,
    product: &Product,
    service_type: ServiceType,
) -> Service {
    let quality = QUALITIES[rng.random_range(0..QUALITIES.len())];
    let origin = ORIGINS[rng.random_range(0..ORIGINS.len())];
    let refill_days = [0u32, 0, 30, 60, 90, 365][rng.random_range(0..6)];
    let refill = refill_days > 0;
    let cancel = rng.random_bool(0.5);
    let (min, max) = match service_type {
        ServiceType::Package | ServiceType::CustomCommentsPackage => (1, 1),
        ServiceType::CustomComments
        | ServiceType::CommentReplies
        | ServiceType::MentionsCustomList => (5, [100u64, 500, 1000][rng.random_range(0..3)]),
        _ => {
            let min = MINS[rng.random_range(0..MINS.len())];
            let max = MAXES[rng.random_range(0..MAXES.len())].max(min * 10);
            (min, max)
        }
    };
    let dripfeed = matches!(service_type, ServiceType::Default | ServiceType::WebTraffic)
        && rng.random_bool(0.3);
    let (lo, hi) = product.rate;
    let mut rate = Decimal::new(rng.random_range(lo..=hi), 4);
    if id.is_multiple_of(97) {
        // A few sub-cent rates carry 7 decimal places, as real panels store them.
        rate = Decimal::new(rng.random_range(1..=9_999), 7);
    }
    let refill_tag = if refill {
        format!("R{refill_days}")
    } else {
        "No Refill".to_owned()
    };
    let kind = match &service_type {
        ServiceType::Default => String::new(),
        other => format!(" [{}]", other.as_str()),
    };
    let name = format!(
        "{platform} {}{kind} [{quality}] [{origin}] [Max {}] [{refill_tag}] [Start: {}] [Speed: {}/Day] {}",
        product.name,
        short_number(max),
        STARTS[rng.random_range(0..STARTS.len())],
        SPEEDS[rng.random_range(0..SPEEDS.len())],
        EMOJI[rng.random_range(0..EMOJI.len())],
    )
    .trim_end()
    .to_owned();
    let category = if refill {
        format!("{platform} {} [Guaranteed]", product.name)
    } else {
        format!("{platform} {}", product.name)
    };
    let description = rng.random_bool(0.6).then(|| {
        format!(
            "Quality: {quality}\r\nOrigin: {origin}\r\nRefill: {refill_tag}\r\nLink: public profile or post\r\n{}",
            if cancel { "Cancel button enabled" } else { "No cancel" }
        )
    });
    Service {
        id: id.to_string(),
        name,
        service_type,
        category,
        rate,
        min,
        max,
        refill,
        cancel,
        dripfeed,
        description,
    }
}

fn short_number(n: u64) -> String {
    match n {
        n if n >= 1_000_000 && n % 1_000_000 == 0 => format!("{}M", n / 1_000_000),
        n if n >= 1_000 && n % 1_000 == 0 => format!("{}K", n / 1_000),
        n => n.to_string(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn catalog_is_deterministic_sized_and_complete() {
        let a = generate_catalog(7, 300);
        assert_eq!(a, generate_catalog(7, 300));
        assert_ne!(a, generate_catalog(8, 300));
        assert_eq!(a.len(), 300);
        for t in ServiceType::KNOWN {
            assert!(a.iter().any(|s| s.service_type == t), "{t} missing");
        }
        assert_eq!(generate_catalog(1, 3).len(), 50);
        assert_eq!(generate_catalog(1, 80_000).len(), 50_000);
        assert!(a.iter().all(|s| s.min <= s.max && !s.name.is_empty()));
        assert!(a.iter().any(|s| s.rate.scale() == 7));
    }
}
