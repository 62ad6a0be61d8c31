// Every user-facing text of the app in English and Estonian. Field labels come from
// /api/v1/fields; everything else is here. t(key, {name: value}) fills {name} placeholders.

const TEXTS = {
  en: {
    nav_now: "Now", nav_history: "History", nav_meter: "Meter", nav_export: "Export",
    nav_tokens: "Tokens", nav_api: "API",
    logout: "Log out", lang_switch: "Eesti keeles", lang_code: "ET",
    live: "Live", offline: "Offline", connecting: "Connecting…",
    loading: "Loading…", no_data: "No data for this period.", no_reading: "No reading has arrived yet.",
    error_generic: "Something went wrong: {msg}",
    error_network: "The server cannot be reached.",
    // login and setup
    login_title: "Log in", login_button: "Log in", username: "Username", password: "Password",
    password_again: "Password again", login_failed: "Wrong username or password.",
    too_many: "Too many attempts. Try again in {s} s.",
    setup_title: "Welcome to hanport",
    setup_intro: "First start: create the administrator account. You will use it to log in from any device.",
    setup_button: "Create account", password_short: "The password needs at least 10 characters.",
    password_mismatch: "The passwords do not match.", username_missing: "Enter a username.",
    setup_code: "Setup code (shown by hanport run in its terminal)",
    setup_code_missing: "Enter the setup code: hanport run shows it in its terminal.",
    setup_code_wrong: "The setup code is not right: hanport run shows it in its terminal.",
    // now
    power: "Power", import: "Import", export: "Export",
    importing: "Importing from the grid", exporting: "Exporting to the grid", phases: "Phases", voltage: "Voltage", current: "Current", energy: "Energy",
    last_reading: "Last reading {age} ago", last_reading_none: "No reading yet",
    stale_banner: "Data is stale: the last reading is {age} old.",
    stale_banner_none: "Data is stale: no reading from the meter.",
    disconnected_banner: "The live connection is lost; reconnecting…",
    unverified_banner: "Readings are unverified: the meter sends no checksum.",
    unauthenticated_banner: "The meter encrypts its data but does not authenticate it: a forged frame could not be told from a real one.",
    fuse: "Main fuse {a} A", voltage_band: "Allowed {min}–{max} V",
    over_fuse: "near the fuse limit", out_of_band: "outside the allowed band",
    energy_import_total: "Imported in total", energy_export_total: "Exported in total",
    of_capacity: "{pct} % of {max} capacity",
    meter_status: "Meter connection: {status}", retry_in: "next try in {s} s",
    st_connected: "connected", st_stale: "stale", st_reconnecting: "reconnecting", st_starting: "starting",
    st_ended: "ended",
    // history
    range_hour: "Hour", range_day: "Day", range_week: "Week", range_month: "Month", range_year: "Year",
    previous: "Previous", next: "Next", latest: "Latest", reset_zoom: "Reset zoom",
    zoom_hint: "Drag across a chart to zoom in; double-click to zoom out; ◀ ▶ move by one period.",
    chart_power: "Power (W)", chart_energy: "Energy per {step} (kWh)", chart_voltage: "Voltage (V)",
    chart_current: "Current (A)", step_15m: "15 min", step_1h: "hour", step_1d: "day", step_1mo: "month",
    time: "Time", so_far: "so far", partial_note: "Hatched bar: the {period} so far, still growing",
    period_15m: "quarter hour", period_1h: "hour", period_1d: "day", period_1mo: "month",
    // meter
    meter_title: "Meter", meter_id: "Meter ID", meter_model: "Model", data_format: "Data format",
    source: "Source", version: "hanport version", readings_count: "Readings", rejected: "Rejected frames",
    reconnects: "Reconnects", status: "Status", registers: "Registers", register: "Register",
    value: "Value", unit: "Unit", obis: "OBIS", other_registers: "Other registers",
    last_error: "Last error", first_reading: "First reading", received: "Received",
    last_rejection: "Why the last frame was rejected", rejected_since: "Rejected since the last reading",
    authentication: "Authentication",
    not_authenticated: "not authenticated: the meter encrypts its frames but does not authenticate them (system title {title})",
    checksum: "Checksum", unverified_note: "unverified: the meter sends no checksum",
    energy_scale: "Energy register step", energy_scale_of: "Energy register step, {meter}",
    energy_scale_value: "{n} Wh (×{n})",
    // export
    export_title: "Export data", export_intro: "Download readings or energy totals as a file.",
    from: "From", to: "To (exclusive)", step: "Step", step_none: "Every reading",
    format: "Format", download: "Download", step_opt_15m: "15 minutes", default_value: "default", downloading: "Preparing the file…",
    downloaded: "Downloaded {name}.", meter: "Meter",
    // tokens
    tokens_title: "API tokens",
    tokens_intro: "Tokens let scripts and Home Assistant read the API without your password. Send one as “Authorization: Bearer <token>”.",
    token_name: "Name", token_create: "Create token", token_created: "Created", token_last_used: "Last used",
    token_user: "User", never: "never", token_revoke: "Revoke", token_revoke_confirm: "Really revoke?",
    token_once: "Copy the token now: it is shown only this once.", copy: "Copy", copied: "Copied",
    token_none: "No tokens yet.", token_name_missing: "Give the token a name.",
    // api
    api_title: "API", api_intro: "The HTTP API of this hanport, from its OpenAPI document.",
    parameters: "Parameters", responses: "Responses", request_body: "Request body",
    required: "required", in: "in", type: "type", description: "Description", openapi_json: "OpenAPI document (JSON)",
    param_name: "Name", status_code: "Code",
    // units of time
    ago_s: "{n} s", ago_m: "{n} min", ago_h: "{n} h", ago_d: "{n} d",
  },
  et: {
    nav_now: "Praegu", nav_history: "Ajalugu", nav_meter: "Arvesti", nav_export: "Eksport",
    nav_tokens: "Võtmed", nav_api: "API",
    logout: "Logi välja", lang_switch: "In English", lang_code: "EN",
    live: "Reaalajas", offline: "Ühenduseta", connecting: "Ühendamine…",
    loading: "Laadimine…", no_data: "Selle perioodi kohta andmeid pole.", no_reading: "Arvestilt pole veel ühtegi näitu tulnud.",
    error_generic: "Midagi läks valesti: {msg}",
    error_network: "Serveriga ei saa ühendust.",
    login_title: "Sisselogimine", login_button: "Logi sisse", username: "Kasutajanimi", password: "Parool",
    password_again: "Korda parooli", login_failed: "Vale kasutajanimi või parool.",
    too_many: "Liiga palju katseid. Proovi {s} s pärast uuesti.",
    setup_title: "Tere tulemast hanporti",
    setup_intro: "Esmakäivitus: loo administraatori konto. Sellega saad sisse logida mis tahes seadmest.",
    setup_button: "Loo konto", password_short: "Parool peab olema vähemalt 10 märki pikk.",
    password_mismatch: "Paroolid ei kattu.", username_missing: "Sisesta kasutajanimi.",
    setup_code: "Seadistuskood (hanport run näitab seda oma terminalis)",
    setup_code_missing: "Sisesta seadistuskood: hanport run näitab seda oma terminalis.",
    setup_code_wrong: "Seadistuskood ei ole õige: hanport run näitab seda oma terminalis.",
    power: "Võimsus", import: "Võrgust", export: "Võrku",
    importing: "Võrgust tarbimine", exporting: "Võrku andmine", phases: "Faasid", voltage: "Pinge", current: "Vool", energy: "Energia",
    last_reading: "Viimane näit {age} tagasi", last_reading_none: "Näitu pole veel tulnud",
    stale_banner: "Andmed on vananenud: viimane näit on {age} vana.",
    stale_banner_none: "Andmed on vananenud: arvestilt pole näitu tulnud.",
    disconnected_banner: "Reaalajas ühendus katkes; ühendan uuesti…",
    unverified_banner: "Näidud on kontrollimata: arvesti ei saada kontrollsummat.",
    unauthenticated_banner: "Arvesti krüpteerib oma andmed, kuid ei autendi neid: võltsitud kaadrit ei saa ehtsast eristada.",
    fuse: "Peakaitse {a} A", voltage_band: "Lubatud {min}–{max} V",
    over_fuse: "peakaitsme piiri lähedal", out_of_band: "väljaspool lubatud vahemikku",
    energy_import_total: "Võrgust kokku", energy_export_total: "Võrku kokku",
    of_capacity: "{pct} % lubatud {max} võimsusest",
    meter_status: "Arvesti ühendus: {status}", retry_in: "järgmine katse {s} s pärast",
    st_connected: "ühendatud", st_stale: "andmed hilinevad", st_reconnecting: "ühendan uuesti", st_starting: "käivitumas",
    st_ended: "lõppenud",
    range_hour: "Tund", range_day: "Päev", range_week: "Nädal", range_month: "Kuu", range_year: "Aasta",
    previous: "Eelmine", next: "Järgmine", latest: "Uusim", reset_zoom: "Kogu periood",
    zoom_hint: "Suurendamiseks lohista üle graafiku; topeltklõps näitab taas kogu perioodi; ◀ ▶ liiguvad perioodi võrra.",
    chart_power: "Võimsus (W)", chart_energy: "Energia {step} kaupa (kWh)", chart_voltage: "Pinge (V)",
    chart_current: "Vool (A)", step_15m: "15 minuti", step_1h: "tunni", step_1d: "päeva", step_1mo: "kuu",
    time: "Aeg", so_far: "seni", partial_note: "Viirutatud tulp: pooleliolev {period}, kasvab veel",
    period_15m: "veerandtund", period_1h: "tund", period_1d: "päev", period_1mo: "kuu",
    meter_title: "Arvesti", meter_id: "Arvesti ID", meter_model: "Mudel", data_format: "Andmevorming",
    source: "Allikas", version: "hanporti versioon", readings_count: "Näitude arv", rejected: "Tagasi lükatud kaadreid",
    reconnects: "Taasühendusi", status: "Olek", registers: "Registrid", register: "Register",
    value: "Väärtus", unit: "Ühik", obis: "OBIS", other_registers: "Muud registrid",
    last_error: "Viimane viga", first_reading: "Esimene näit", received: "Saabunud",
    last_rejection: "Viimase kaadri tagasilükkamise põhjus", rejected_since: "Tagasi lükatud pärast viimast näitu",
    authentication: "Autentimine",
    not_authenticated: "puudub: arvesti krüpteerib kaadrid, kuid ei autendi neid (süsteemitiitel {title})",
    checksum: "Kontrollsumma", unverified_note: "puudub: arvesti ei saada kontrollsummat, näidud on kontrollimata",
    energy_scale: "Energiaregistri samm", energy_scale_of: "Energiaregistri samm, {meter}",
    energy_scale_value: "{n} Wh (×{n})",
    export_title: "Andmete eksport", export_intro: "Laadi näidud või perioodide energiakogused failina alla.",
    from: "Alates", to: "Kuni (mitte kaasa arvatud)", step: "Samm", step_none: "Iga näit",
    format: "Vorming", download: "Laadi alla", step_opt_15m: "15 minutit", default_value: "vaikimisi", downloading: "Faili koostamine…",
    downloaded: "Alla laaditud: {name}.", meter: "Arvesti",
    tokens_title: "API-võtmed",
    tokens_intro: "Võtmetega saavad skriptid ja Home Assistant API-t kasutada ilma sinu paroolita. Saada võti päises „Authorization: Bearer <võti>“.",
    token_name: "Nimi", token_create: "Loo võti", token_created: "Loodud", token_last_used: "Viimati kasutatud",
    token_user: "Kasutaja", never: "pole kasutatud", token_revoke: "Tühista", token_revoke_confirm: "Kas kindlasti tühistada?",
    token_once: "Kopeeri võti kohe: seda näidatakse ainult see üks kord.", copy: "Kopeeri", copied: "Kopeeritud",
    token_none: "Võtmeid pole veel loodud.", token_name_missing: "Anna võtmele nimi.",
    api_title: "API", api_intro: "Selle hanporti HTTP API kirjeldus, koostatud OpenAPI-dokumendi põhjal.",
    parameters: "Parameetrid", responses: "Vastused", request_body: "Päringu sisu",
    required: "kohustuslik", in: "asukoht", type: "tüüp", description: "Kirjeldus", openapi_json: "OpenAPI-dokument (JSON)",
    param_name: "Nimi", status_code: "Kood",
    ago_s: "{n} s", ago_m: "{n} min", ago_h: "{n} h", ago_d: "{n} p",
  },
};

/** Every text key, for the catalogue's completeness check in the tests. */
export const KEYS = { en: Object.keys(TEXTS.en), et: Object.keys(TEXTS.et) };

const KEY = "hanport.lang";
let lang = pick();

function pick() {
  try {
    const saved = localStorage.getItem(KEY);
    if (saved === "en" || saved === "et") return saved;
  } catch { /* storage may be off */ }
  const nav = (navigator.languages && navigator.languages[0]) || navigator.language || "en";
  return nav.toLowerCase().startsWith("et") ? "et" : "en";
}

export function getLang() { return lang; }

export function setLang(next) {
  lang = next === "et" ? "et" : "en";
  try { localStorage.setItem(KEY, lang); } catch { /* ignore */ }
  document.documentElement.lang = lang;
}

export function t(key, vars) {
  let text = TEXTS[lang][key] ?? TEXTS.en[key] ?? key;
  if (vars) for (const [k, v] of Object.entries(vars)) text = text.replaceAll(`{${k}}`, String(v));
  return text;
}

/** A number in the current language's style (Estonian: space groups, decimal comma). */
export function num(value, digits = 0) {
  if (value === null || value === undefined || Number.isNaN(value)) return "–";
  return new Intl.NumberFormat(lang === "et" ? "et-EE" : "en-GB", {
    minimumFractionDigits: digits, maximumFractionDigits: digits,
  }).format(value);
}

export function dateTime(iso) {
  if (!iso) return "–";
  const d = new Date(iso);
  if (Number.isNaN(d.getTime())) return String(iso);
  return d.toLocaleString(lang === "et" ? "et-EE" : "en-GB", {
    year: "numeric", month: "short", day: "numeric", hour: "2-digit", minute: "2-digit", second: "2-digit",
  });
}

export function locale() { return lang === "et" ? "et-EE" : "en-GB"; }

/** "12 s", "4 min", "3 h", "2 d" */
export function age(seconds) {
  if (seconds === null || seconds === undefined) return "–";
  const s = Math.max(0, Math.floor(seconds));
  if (s < 120) return t("ago_s", { n: s });
  if (s < 7200) return t("ago_m", { n: Math.floor(s / 60) });
  if (s < 172800) return t("ago_h", { n: Math.floor(s / 3600) });
  return t("ago_d", { n: Math.floor(s / 86400) });
}

document.documentElement.lang = lang;
