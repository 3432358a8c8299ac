/** Served at /dashboard/assets/dashboard.css; in code so the server ships as one set of files. */
export const DASHBOARD_CSS = `:root {
  color-scheme: light dark;
  --fg: #1b1f24;
  --bg: #f6f8fa;
  --panel: #ffffff;
  --muted: #57606a;
  --accent: #0b5cad;
  --accent-fg: #ffffff;
  --danger: #b3261e;
  --ok: #1a7f37;
  --warn: #9a6700;
  --border: #d0d7de;
}
@media (prefers-color-scheme: dark) {
  :root {
    --fg: #e6edf3;
    --bg: #0d1117;
    --panel: #161b22;
    --muted: #9198a1;
    --accent: #4493f8;
    --accent-fg: #0d1117;
    --danger: #ff7b72;
    --ok: #3fb950;
    --warn: #d29922;
    --border: #3d444d;
  }
}
* { box-sizing: border-box; }
body {
  margin: 0;
  font: 0.95rem/1.5 system-ui, -apple-system, 'Segoe UI', Roboto, sans-serif;
  color: var(--fg);
  background: var(--bg);
}
a { color: var(--accent); }
:focus-visible { outline: 3px solid var(--accent); outline-offset: 2px; }
.skip { position: absolute; left: -999px; }
.sr-only { position: absolute; width: 1px; height: 1px; overflow: hidden; clip-path: inset(50%); white-space: nowrap; }
.skip:focus { left: 1rem; top: 1rem; background: var(--panel); padding: 0.5rem; z-index: 2; }
.shell { display: grid; grid-template-columns: 13rem 1fr; min-height: 100vh; }
@media (max-width: 48rem) { .shell { grid-template-columns: 1fr; } }
nav.side { background: var(--panel); border-right: 1px solid var(--border); padding: 1rem 0.75rem; }
nav.side .brand { font-weight: 700; font-size: 1.1rem; margin: 0 0.5rem 0.25rem; }
nav.side .who { color: var(--muted); font-size: 0.85rem; margin: 0 0.5rem 1rem; }
nav.side ul { list-style: none; margin: 0; padding: 0; }
nav.side li a {
  display: block;
  padding: 0.4rem 0.5rem;
  border-radius: 6px;
  color: var(--fg);
  text-decoration: none;
}
nav.side li a:hover { background: var(--bg); }
nav.side li a[aria-current='page'] { background: var(--accent); color: var(--accent-fg); }
nav.side form { margin: 1rem 0.5rem 0; }
main { padding: 1.5rem 2rem 3rem; max-width: 72rem; }
h1 { font-size: 1.5rem; margin: 0 0 1rem; }
h2 { font-size: 1.15rem; margin: 1.75rem 0 0.75rem; }
.panel {
  background: var(--panel);
  border: 1px solid var(--border);
  border-radius: 8px;
  padding: 1rem 1.25rem;
  margin-bottom: 1rem;
}
.panel > h2:first-child { margin-top: 0; }
.cards { display: grid; grid-template-columns: repeat(auto-fill, minmax(12rem, 1fr)); gap: 1rem; }
.card { background: var(--panel); border: 1px solid var(--border); border-radius: 8px; padding: 1rem; }
.card .label { color: var(--muted); font-size: 0.85rem; }
.card .value { font-size: 1.6rem; font-weight: 700; }
table { width: 100%; border-collapse: collapse; background: var(--panel); border: 1px solid var(--border); }
th, td { text-align: left; padding: 0.5rem 0.75rem; border-bottom: 1px solid var(--border); vertical-align: top; }
th { font-size: 0.85rem; color: var(--muted); font-weight: 600; }
td.num, th.num { text-align: right; font-variant-numeric: tabular-nums; }
.empty { color: var(--muted); font-style: italic; }
.badge { white-space: nowrap; display: inline-block; padding: 0.05rem 0.5rem; border-radius: 999px; font-size: 0.8rem; border: 1px solid currentColor; }
.badge.ok { color: var(--ok); }
.badge.bad { color: var(--danger); }
.badge.warn { color: var(--warn); }
.badge.off { color: var(--muted); }
.flash { padding: 0.75rem 1rem; border-radius: 8px; margin-bottom: 1rem; border: 1px solid; }
.flash.ok { border-color: var(--ok); }
.flash.error { border-color: var(--danger); color: var(--danger); }
form.stack { display: grid; gap: 0.75rem; max-width: 30rem; }
form.inline { display: inline; }
label { font-weight: 600; display: block; margin-bottom: 0.2rem; }
.hint { color: var(--muted); font-size: 0.85rem; margin: 0.2rem 0 0; }
.error { color: var(--danger); margin: 0.2rem 0 0; }
input[type='text'], input[type='email'], input[type='password'], input[type='number'], select, textarea {
  width: 100%;
  font: inherit;
  padding: 0.45rem 0.6rem;
  border: 1px solid var(--border);
  border-radius: 6px;
  background: var(--panel);
  color: var(--fg);
}
textarea { font-family: ui-monospace, 'SF Mono', Menlo, Consolas, monospace; min-height: 16rem; }
button, .button {
  font: inherit;
  padding: 0.45rem 0.9rem;
  border-radius: 6px;
  border: 1px solid var(--border);
  background: var(--panel);
  color: var(--fg);
  cursor: pointer;
  text-decoration: none;
  display: inline-block;
}
button.primary, .button.primary { background: var(--accent); color: var(--accent-fg); border-color: var(--accent); }
button.danger { background: var(--danger); color: #fff; border-color: var(--danger); }
.actions { display: flex; gap: 0.5rem; flex-wrap: wrap; align-items: center; }
.big-code { font: 700 2.5rem/1.2 ui-monospace, 'SF Mono', Menlo, Consolas, monospace; letter-spacing: 0.1em; }
.signin { max-width: 24rem; margin: 10vh auto; }
`;
