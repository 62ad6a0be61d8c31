// Exact decimals from the API ("12.3456", strings) written for people without binary floats:
// rounded half away from zero with BigInt, grouped and with the decimal mark of the language.

import { getLang } from "./i18n.js";

function parse(text) {
  const s = String(text).trim();
  const negative = s.startsWith("-");
  const [whole, frac = ""] = (negative ? s.slice(1) : s).split(".");
  return { negative, digits: (whole || "0") + frac, scale: frac.length };
}

/** `text` × 10^shift rounded to `digits` decimals, as a string like "-12.35" (or null). */
export function roundDec(text, digits, shift = 0) {
  if (text === null || text === undefined || text === "") return null;
  const { negative, digits: all, scale } = parse(text);
  const drop = scale - shift - digits;  // how many digits to cut off (negative: pad)
  let n = BigInt(all);
  if (drop > 0) {
    const unit = 10n ** BigInt(drop);
    const rest = n % unit;
    n = n / unit + (rest * 2n >= unit ? 1n : 0n);
  } else if (drop < 0) {
    n *= 10n ** BigInt(-drop);
  }
  let s = n.toString().padStart(digits + 1, "0");
  s = digits ? `${s.slice(0, -digits)}.${s.slice(-digits)}` : s;
  return negative && n !== 0n ? `-${s}` : s;
}

/** "1 234,57" (et) or "1,234.57" (en) from an exact decimal string. */
export function fmtDec(text, digits = 2, shift = 0) {
  const fixed = roundDec(text, digits, shift);
  if (fixed === null) return "–";
  const negative = fixed.startsWith("-");
  const [whole, frac] = (negative ? fixed.slice(1) : fixed).split(".");
  const et = getLang() === "et";
  const grouped = new Intl.NumberFormat(et ? "et-EE" : "en-GB").format(BigInt(whole));
  return `${negative ? "−" : ""}${grouped}${frac ? (et ? "," : ".") + frac : ""}`;
}

/** "12.35 €" / "12,35 €" */
export function eur(text) {
  return text === null || text === undefined ? "–" : `${fmtDec(text, 2)} €`;
}

/** An all-in EUR/kWh price in cents: "18.73 c/kWh". */
export function cents(eurKwh) {
  return eurKwh === null || eurKwh === undefined ? "–" : `${fmtDec(eurKwh, 2, 2)} c/kWh`;
}

/** For drawing only (bar heights): never for a figure shown as text. */
export function plotNumber(text) {
  return text === null || text === undefined ? null : Number(text);
}
