/** Served at /redeem/assets/portal.css; inline in code so the server ships as one set of files. */
export const PORTAL_CSS = `:root {
  color-scheme: light dark;
  --fg: #1b1f24;
  --bg: #ffffff;
  --muted: #57606a;
  --accent: #0b5cad;
  --accent-fg: #ffffff;
  --error: #b3261e;
  --border: #d0d7de;
}
@media (prefers-color-scheme: dark) {
  :root {
    --fg: #e6edf3;
    --bg: #0d1117;
    --muted: #9198a1;
    --accent: #4493f8;
    --accent-fg: #0d1117;
    --error: #ff7b72;
    --border: #3d444d;
  }
}
* { box-sizing: border-box; }
body {
  margin: 0;
  font: 1.125rem/1.5 system-ui, -apple-system, 'Segoe UI', Roboto, sans-serif;
  color: var(--fg);
  background: var(--bg);
}
main { max-width: 32rem; margin: 0 auto; padding: 1.5rem 1rem 3rem; }
h1 { font-size: 1.75rem; line-height: 1.2; margin: 0.5rem 0 1rem; }
label { display: block; font-weight: 600; margin-bottom: 0.25rem; }
input[type='text'],
input[type='email'] {
  width: 100%;
  font: inherit;
  font-family: ui-monospace, 'SF Mono', Menlo, Consolas, monospace;
  letter-spacing: 0.05em;
  text-transform: uppercase;
  padding: 0.75rem;
  border: 2px solid var(--border);
  border-radius: 0.5rem;
  color: inherit;
  background: transparent;
}
input[type='email'] { font-family: inherit; text-transform: none; letter-spacing: normal; }
input[aria-invalid='true'] { border-color: var(--error); }
:focus-visible { outline: 3px solid var(--accent); outline-offset: 2px; }
button.primary {
  display: block;
  width: 100%;
  margin-top: 1rem;
  padding: 1rem;
  font: inherit;
  font-weight: 700;
  border: 0;
  border-radius: 0.5rem;
  color: var(--accent-fg);
  background: var(--accent);
  cursor: pointer;
}
.error { color: var(--error); font-weight: 600; }
.code { font-family: ui-monospace, 'SF Mono', Menlo, Consolas, monospace; white-space: nowrap; font-size: 0.95rem; }
dl { display: grid; grid-template-columns: max-content 1fr; gap: 0.25rem 1rem; }
dt { color: var(--muted); }
dd { margin: 0; overflow-wrap: anywhere; }
a { color: var(--accent); }
h2 { font-size: 1.25rem; margin: 2rem 0 0.5rem; }
button.secondary {
  margin-top: 1.5rem;
  padding: 0.75rem 1rem;
  font: inherit;
  border: 2px solid var(--border);
  border-radius: 0.5rem;
  color: inherit;
  background: transparent;
  cursor: pointer;
}
.muted { color: var(--muted); font-size: 0.95rem; }
ul.cards { list-style: none; padding: 0; margin: 0; }
li.card { border: 1px solid var(--border); border-radius: 0.5rem; padding: 0.75rem 1rem; margin-bottom: 0.75rem; }
li.card dl { margin: 0; grid-template-columns: max-content minmax(0, 1fr); }
li.card .code { white-space: normal; overflow-wrap: anywhere; }
form.register input,
form.register textarea {
  width: 100%;
  font: inherit;
  padding: 0.75rem;
  border: 2px solid var(--border);
  border-radius: 0.5rem;
  color: inherit;
  background: transparent;
  text-transform: none;
  letter-spacing: normal;
  margin-bottom: 0.75rem;
}
form.register textarea { min-height: 10rem; font-family: ui-monospace, 'SF Mono', Menlo, Consolas, monospace; font-size: 0.95rem; }
form.register textarea[aria-invalid='true'] { border-color: var(--error); }
.hint { color: var(--muted); font-size: 0.95rem; margin: -0.25rem 0 0.5rem; }
a.button { display: block; text-align: center; margin-top: 1rem; padding: 1rem; font-weight: 700; border-radius: 0.5rem; color: var(--accent-fg); background: var(--accent); text-decoration: none; }
ol.seats { padding-left: 1.5rem; overflow-wrap: anywhere; }
`;
