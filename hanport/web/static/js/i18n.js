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
    // now
    power: "Power", import: "Import", export: "Export",
    importing: "Importing from the grid", exporting: "Exporting to the grid", phases: "Phases", voltage: "Voltage", current: "Current", energy: "Energy",
    last_reading: "Last reading {age} ago", last_reading_none: "No reading yet",
    stale_banner: "Data is stale: the last reading is {age} old.",
    stale_banner_none: "Data is stale: no reading from the meter.",
    disconnected_banner: "The live connection is lost; reconnecting…",
    fuse: "Main fuse {a} A", voltage_band: "Allowed {min}–{max} V",
    over_fuse: "near the fuse limit", out_of_band: "outside the allowed band",
    energy_import_total: "Imported in total", energy_export_total: "Exported in total",
    of_capacity: "{pct} % of {max} capacity",
    meter_status: "Meter connection: {status}",
    st_connected: "connected", st_stale: "stale", st_reconnecting: "reconnecting", st_starting: "starting",
    st_ended: "ended",
    // history
    range_hour: "Hour", range_day: "Day", range_week: "Week", range_month: "Month", range_year: "Year",
    previous: "Previous", next: "Next", latest: "Latest", reset_zoom: "Reset zoom",
    zoom_hint: "Drag across a chart to zoom in; double-click to zoom out; ◀ ▶ move by one period.",
    chart_power: "Power (W)", chart_energy: "Energy per {step} (kWh)", chart_voltage: "Voltage (V)",
    chart_current: "Current (A)", step_15m: "15 min", step_1h: "hour", step_1d: "day", step_1mo: "month",
    time: "Time",
    // meter
    meter_title: "Meter", meter_id: "Meter ID", meter_model: "Model", data_format: "Data format",
    source: "Source", version: "hanport version", readings_count: "Readings", rejected: "Rejected frames",
    reconnects: "Reconnects", status: "Status", registers: "Registers", register: "Register",
    value: "Value", unit: "Unit", obis: "OBIS", other_registers: "Other registers",
    last_error: "Last error", first_reading: "First reading", received: "Received",
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
    // units of time
    ago_s: "{n} s", ago_m: "{n} min", ago_h: "{n} h", ago_d: "{n} d",
  },
  et: {
    nav_now: "Praegu", nav_history: "Ajalugu", nav_meter: "Arvesti", nav_export: "Eksport",
    nav_tokens: "Võtmed", nav_api: "API",
    logout: "Logi välja", lang_switch: "In English", lang_code: "EN",
    live: "Otse", offline: "Ühenduseta", connecting: "Ühendan…",
    loading: "Laadin…", no_data: "Selle perioodi kohta andmed puuduvad.", no_reading: "Ühtegi lugemit pole veel saabunud.",
    error_generic: "Midagi läks valesti: {msg}",
    error_network: "Serveriga ei saa ühendust.",
    login_title: "Logi sisse", login_button: "Logi sisse", username: "Kasutajanimi", password: "Parool",
    password_again: "Parool uuesti", login_failed: "Vale kasutajanimi või parool.",
    too_many: "Liiga palju katseid. Proovi uuesti {s} s pärast.",
    setup_title: "Tere tulemast hanporti",
    setup_intro: "Esimene käivitus: loo administraatori konto. Sellega saad sisse logida igast seadmest.",
    setup_button: "Loo konto", password_short: "Parool peab olema vähemalt 10 märki pikk.",
    password_mismatch: "Paroolid ei kattu.", username_missing: "Sisesta kasutajanimi.",
    power: "Võimsus", import: "Võrgust", export: "Võrku",
    importing: "Tarbimine võrgust", exporting: "Tootmine võrku", phases: "Faasid", voltage: "Pinge", current: "Vool", energy: "Energia",
    last_reading: "Viimane lugem {age} tagasi", last_reading_none: "Lugemit veel pole",
    stale_banner: "Andmed on aegunud: viimane lugem on {age} vana.",
    stale_banner_none: "Andmed on aegunud: arvestilt pole lugemit.",
    disconnected_banner: "Otseühendus katkes; ühendan uuesti…",
    fuse: "Peakaitse {a} A", voltage_band: "Lubatud {min}–{max} V",
    over_fuse: "peakaitsme piiri lähedal", out_of_band: "väljaspool lubatud vahemikku",
    energy_import_total: "Võrgust kokku", energy_export_total: "Võrku kokku",
    of_capacity: "{pct} % võimsusest {max}",
    meter_status: "Arvesti ühendus: {status}",
    st_connected: "ühendatud", st_stale: "aegunud", st_reconnecting: "ühendan uuesti", st_starting: "käivitun",
    st_ended: "lõppenud",
    range_hour: "Tund", range_day: "Päev", range_week: "Nädal", range_month: "Kuu", range_year: "Aasta",
    previous: "Eelmine", next: "Järgmine", latest: "Viimane", reset_zoom: "Lähtesta suurendus",
    zoom_hint: "Suurendamiseks lohista üle graafiku; topeltklõps vähendab; ◀ ▶ liigutavad perioodi võrra.",
    chart_power: "Võimsus (W)", chart_energy: "Energia {step} kaupa (kWh)", chart_voltage: "Pinge (V)",
    chart_current: "Vool (A)", step_15m: "15 minuti", step_1h: "tunni", step_1d: "päeva", step_1mo: "kuu",
    time: "Aeg",
    meter_title: "Arvesti", meter_id: "Arvesti ID", meter_model: "Mudel", data_format: "Andmevorming",
    source: "Allikas", version: "hanporti versioon", readings_count: "Lugemeid", rejected: "Tagasi lükatud kaadreid",
    reconnects: "Taasühendusi", status: "Olek", registers: "Registrid", register: "Register",
    value: "Väärtus", unit: "Ühik", obis: "OBIS", other_registers: "Muud registrid",
    last_error: "Viimane viga", first_reading: "Esimene lugem", received: "Vastu võetud",
    export_title: "Andmete eksport", export_intro: "Laadi lugemid või energiakogused alla failina.",
    from: "Alates", to: "Kuni (välja arvatud)", step: "Samm", step_none: "Iga lugem",
    format: "Vorming", download: "Laadi alla", step_opt_15m: "15 minutit", default_value: "vaikimisi", downloading: "Valmistan faili ette…",
    downloaded: "Alla laaditud: {name}.", meter: "Arvesti",
    tokens_title: "API-võtmed",
    tokens_intro: "Võtmetega saavad skriptid ja Home Assistant API-t kasutada ilma sinu paroolita. Saada võti päises „Authorization: Bearer <võti>”.",
    token_name: "Nimi", token_create: "Loo võti", token_created: "Loodud", token_last_used: "Viimati kasutatud",
    token_user: "Kasutaja", never: "mitte kunagi", token_revoke: "Tühista", token_revoke_confirm: "Kas tühistada?",
    token_once: "Kopeeri võti kohe: seda näidatakse ainult üks kord.", copy: "Kopeeri", copied: "Kopeeritud",
    token_none: "Võtmeid veel pole.", token_name_missing: "Anna võtmele nimi.",
    api_title: "API", api_intro: "Selle hanporti HTTP API, tema OpenAPI dokumendi põhjal.",
    parameters: "Parameetrid", responses: "Vastused", request_body: "Päringu sisu",
    required: "kohustuslik", in: "asukoht", type: "tüüp", description: "Kirjeldus", openapi_json: "OpenAPI dokument (JSON)",
    ago_s: "{n} s", ago_m: "{n} min", ago_h: "{n} h", ago_d: "{n} p",
  },
};

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
