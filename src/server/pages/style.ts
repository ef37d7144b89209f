// The pages' only stylesheet, inlined (no external assets) and allowed by its hash in the
// Content-Security-Policy, so no other style, and no script at all, can run on our pages.
import { createHash } from 'node:crypto';

export const STYLESHEET = `
:root{color-scheme:light dark;--bg:#fff;--fg:#1a1a1a;--muted:#4d4d4d;--link:#0b57d0;--line:#d6d6d6;--chip:#eef2f8;--focus:#b45309}
@media (prefers-color-scheme:dark){:root{--bg:#121212;--fg:#ececec;--muted:#bdbdbd;--link:#8ab4f8;--line:#3a3a3a;--chip:#1f2a3a;--focus:#fbbf24}}
*{box-sizing:border-box}
body{margin:0;background:var(--bg);color:var(--fg);font:1rem/1.5 system-ui,-apple-system,"Segoe UI",Roboto,sans-serif}
a{color:var(--link)}
a:focus-visible,button:focus-visible,input:focus-visible{outline:3px solid var(--focus);outline-offset:2px}
.skip{position:absolute;left:-999px}.skip:focus{left:1rem;top:1rem;background:var(--bg);padding:.5rem}
.site,main,footer{max-width:48rem;margin:0 auto;padding:0 1rem}
.site{display:flex;flex-wrap:wrap;gap:.5rem 1rem;align-items:center;padding-top:1rem;padding-bottom:.75rem;border-bottom:1px solid var(--line)}
.brand{font-weight:700;font-size:1.35rem;text-decoration:none;color:var(--fg)}
.site form{margin-left:auto;display:flex;gap:.25rem}
.site label{position:absolute;left:-999px}
input[type=search]{font:inherit;padding:.35rem .5rem;border:1px solid var(--muted);border-radius:.25rem;background:var(--bg);color:var(--fg);min-width:0;width:12rem}
button{font:inherit;padding:.35rem .75rem;border:1px solid var(--muted);border-radius:.25rem;background:var(--chip);color:var(--fg);cursor:pointer}
.topics-nav ul,.chips,.outlets{list-style:none;margin:0;padding:0;display:flex;flex-wrap:wrap;gap:.35rem .5rem}
.topics-nav{width:100%}
.chips a,.topics-nav a{display:inline-block;padding:.1rem .55rem;border-radius:1rem;background:var(--chip);text-decoration:none;font-size:.9rem}
h1{font-size:1.6rem;line-height:1.25;margin:1.25rem 0 .5rem}
.story{padding:1rem 0;border-bottom:1px solid var(--line)}
.story h2,.story h3{font-size:1.2rem;line-height:1.3;margin:0 0 .35rem}
.story h2 a,.story h3 a{color:var(--fg);text-decoration:none}.story h2 a:hover,.story h3 a:hover{text-decoration:underline}
.kicker{color:var(--muted);font-size:.8rem;font-weight:600;text-transform:uppercase;letter-spacing:.06em;margin:1.25rem 0 0}
.kicker+h1{margin-top:.2rem}
.part-of{font-size:.9rem;margin:.4rem 0 0}
.storyline-group{border-left:3px solid var(--link);padding-left:1rem;margin:1rem 0 0;border-bottom:1px solid var(--line)}
.storyline-group .kicker{margin-top:.75rem}
.storyline-group>h2{font-size:1.35rem;line-height:1.25;margin:.15rem 0 0}
.storyline-group>h2 a{color:var(--fg)}
.storyline-group .story:last-of-type{border-bottom:0}
.more{font-size:.95rem;margin:0 0 1rem}
.also{margin:.5rem 0 .75rem;padding-left:1.1rem}.also li{margin:.2rem 0}
.timeline{list-style:none;margin:0;padding:0 0 0 1rem;border-left:2px solid var(--line)}
.timeline>li{position:relative}
.timeline>li::before{content:"";position:absolute;left:calc(-1rem - 6px);top:1.2rem;width:10px;height:10px;border-radius:50%;background:var(--link)}
.when{font-weight:600;font-size:.9rem;margin:1rem 0 0}
.timeline .story{padding-top:.25rem}
figure{margin:1rem 0}
.chart svg{display:block;width:100%;height:auto}
.chart .bar{fill:var(--link)}.chart .day:hover .bar{fill:var(--focus)}
.chart .axis{stroke:var(--muted)}
.chart text{fill:var(--muted);font:13px system-ui,-apple-system,"Segoe UI",Roboto,sans-serif}
.chart figcaption{color:var(--muted);font-size:.9rem}
.chart-numbers{font-size:.9rem;margin:0 0 1rem}
.chart-numbers table{border-collapse:collapse;margin:.5rem 0}
.chart-numbers th,.chart-numbers td{border-bottom:1px solid var(--line);padding:.2rem .75rem;text-align:left}
.chart-numbers .number{text-align:right}
.summary{margin:.25rem 0 .5rem}
.meta{color:var(--muted);font-size:.9rem;margin:.25rem 0}
.outlets{font-size:.95rem;margin:.35rem 0}
.outlets li:not(:last-child)::after{content:"·";margin-left:.5rem;color:var(--muted)}
.coverage{list-style:none;padding:0}
.coverage li{padding:.6rem 0;border-bottom:1px solid var(--line)}
.coverage .why{color:var(--muted);font-size:.85rem}
.pager{margin:1.5rem 0}
.feeds{border-collapse:collapse;width:100%;font-size:.9rem;margin:1rem 0}
.feeds th,.feeds td{border-bottom:1px solid var(--line);padding:.4rem .5rem;text-align:left;vertical-align:top;overflow-wrap:anywhere}
.feeds .number{text-align:right}
footer{color:var(--muted);font-size:.9rem;padding-top:1rem;padding-bottom:2rem}
@media (max-width:30rem){.site form{margin-left:0;width:100%}input[type=search]{flex:1}h1{font-size:1.35rem}.chart text{font-size:22px}}
`;

/** CSP source for the stylesheet above. */
export const STYLE_HASH = `'sha256-${createHash('sha256').update(STYLESHEET).digest('base64')}'`;

/** Sent with every response: pages may load nothing but their own inline stylesheet. */
export const CONTENT_SECURITY_POLICY = `default-src 'none'; style-src ${STYLE_HASH}; img-src 'self'; form-action 'self'; base-uri 'none'; frame-ancestors 'none'`;
