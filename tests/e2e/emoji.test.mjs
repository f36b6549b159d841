// Service names render as the provider wrote them: emoji (🇧🇷 ♻️ ⚡ 🔥) in colour, from the
// UI's font fallback to Noto Color Emoji (Debian's fonts-noto-color-emoji), not as empty boxes,
// on the Catalog and New order screens, in English and Arabic. Screenshots: *-emoji-*.png.
import assert from "node:assert/strict";
import { test } from "node:test";

import { launch } from "./webdriver.mjs";

/** Draws `text` with the font stack of the element for `css` on a canvas and counts the inked
 *  and the coloured pixels: a colour emoji font gives coloured ones, an empty box or a
 *  black-and-white symbol none. */
const INK = `
  const el = document.querySelector(arguments[0]);
  const canvas = document.createElement("canvas");
  canvas.width = 120;
  canvas.height = 60;
  const g = canvas.getContext("2d");
  g.font = "40px " + getComputedStyle(el).fontFamily;
  g.fillStyle = "#000";
  g.textBaseline = "top";
  g.fillText(arguments[1], 4, 4);
  const d = g.getImageData(0, 0, canvas.width, canvas.height).data;
  let inked = 0, coloured = 0;
  for (let i = 0; i < d.length; i += 4) {
    if (d[i + 3] === 0) continue;
    inked += 1;
    if (d[i + 3] > 128 && Math.max(d[i], d[i + 1], d[i + 2]) - Math.min(d[i], d[i + 1], d[i + 2]) > 60) coloured += 1;
  }
  return { inked, coloured };
`;
const EMOJI = ["🇧🇷", "♻️", "⚡", "🔥"];

async function startDemo(session) {
  await session.waitFor("the welcome", () => session.find("[data-testid=welcome-demo]"));
  await session.tap("[data-testid=welcome-demo]");
  await session.waitFor("the demo provider", async () => !(await session.exists("[data-testid=welcome]")), 60_000);
}

/** Catalog › search "brazil": rows whose names carry a flag; checks the glyphs, screenshots. */
async function catalogWithEmoji(session, lang) {
  await session.goTo("catalog");
  await session.waitFor("catalog rows", () => session.exists("[data-testid=catalog-row]"));
  await session.type("[data-testid=catalog-search]", "brazil");
  await session.waitFor("the search to apply", async () =>
    session.execute("return document.querySelector('[data-testid=catalog-count]').dataset.search === 'brazil';"),
  );
  const names = await session.execute(
    "return [...document.querySelectorAll('[data-testid=catalog-row] [data-testid=service-name]')].map((n) => n.textContent);",
  );
  assert.ok(names.length > 0 && names.every((n) => n.includes("Brazil 🇧🇷")), `every row has the flag: ${names.slice(0, 3)}`);
  assert.ok(names.some((n) => n.includes("♻️")), "a Non-Drop ♻️ service among them");
  for (const emoji of EMOJI) {
    const ink = await session.execute(INK, ["[data-testid=catalog-row] [data-testid=service-name]", emoji]);
    assert.ok(ink.inked > 100 && ink.coloured > 50, `${lang}: ${emoji} is drawn in colour (${JSON.stringify(ink)})`);
  }
  await session.screenshot(`${lang}-catalog-emoji`);

  // New order on the first of them: the service line shows the whole name, emoji included.
  await session.tap("[data-testid=catalog-row] [data-testid=service-order]");
  await session.waitFor("the order form", () => session.exists("[data-testid=order-service]"));
  assert.match(await session.text("[data-testid=order-service]"), /Brazil 🇧🇷/);
  await session.screenshot(`${lang}-new-order-emoji`);
}

test("service names with emoji render in colour, in English and Arabic", async (t) => {
  const { session } = await launch(t, "emoji");
  await startDemo(session);
  await catalogWithEmoji(session, "en");

  await session.goTo("settings");
  await session.click("[data-testid=language-ar]");
  await session.waitFor("lang=ar", async () => (await session.htmlLangDir()).lang === "ar");
  await catalogWithEmoji(session, "ar");
  assert.deepEqual(await session.htmlLangDir(), { lang: "ar", dir: "rtl", dark: false });
});
