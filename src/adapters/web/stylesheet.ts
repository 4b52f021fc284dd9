/**
 * The one stylesheet, served from `/web/style.css` (the CSP allows styles from our own origin
 * only, no inline style). Small-screen first: one column, tables scroll sideways on a phone.
 * Colours keep a contrast of at least 4.5:1 against their background (axe checks it in the
 * browser test).
 */
export const STYLESHEET = `
*{box-sizing:border-box}
body{margin:0;font:16px/1.5 system-ui,-apple-system,"Segoe UI",Roboto,sans-serif;color:#1b1f24;background:#f6f7f9}
a{color:#0b57d0}
a:focus,button:focus{outline:3px solid #f0b400;outline-offset:2px}
header.top{display:flex;flex-wrap:wrap;gap:.5rem 1rem;align-items:center;justify-content:space-between;padding:.6rem 1rem;background:#1b2a41;color:#fff}
header.top a{color:#fff;font-weight:600;text-decoration:none}
header.top form{margin:0}
header.top .who{font-size:.9rem}
button{font:inherit;padding:.35rem .9rem;border-radius:6px;border:1px solid #1b2a41;background:#fff;color:#1b2a41;cursor:pointer}
button.primary{background:#0b57d0;border-color:#0b57d0;color:#fff;font-size:1.1rem;padding:.6rem 1.4rem}
main{max-width:72rem;margin:0 auto;padding:1rem}
h1{font-size:1.6rem;margin:.5rem 0 1rem}
h2{font-size:1.25rem;margin:1.5rem 0 .5rem}
h3{font-size:1.05rem;margin:1rem 0 .4rem}
section.card{background:#fff;border:1px solid #d6dae0;border-radius:8px;padding:1rem;margin:0 0 1rem}
.grid2{display:grid;grid-template-columns:1fr;gap:1rem}
@media (min-width:48rem){.grid2{grid-template-columns:1fr 1fr}}
.muted{color:#4d5561}
.table-wrap{overflow-x:auto}
table{border-collapse:collapse;width:100%;font-size:.95rem}
th,td{text-align:left;padding:.35rem .5rem;border-bottom:1px solid #e3e6ea;vertical-align:top}
th{font-weight:600}
dl.facts{display:grid;grid-template-columns:max-content 1fr;gap:.25rem 1rem;margin:0}
dl.facts dt{font-weight:600}
dl.facts dd{margin:0}
.state{font-weight:600;white-space:nowrap}
.state.pass{color:#1a7f37}.state.fail{color:#b3261e}.state.unknown{color:#6b5200}.state.exempt{color:#4d5561}
svg.bar{width:100%;height:1.2rem;display:block;border-radius:4px;background:#e3e6ea}
ul.legend{list-style:none;display:flex;flex-wrap:wrap;gap:.25rem 1rem;padding:0;margin:.4rem 0 0;font-size:.9rem}
.swatch{display:inline-block;width:.8rem;height:.8rem;border-radius:2px;margin-right:.3rem;vertical-align:-1px}
.l0{fill:#9aa3ad;background:#9aa3ad}.l1{fill:#b5651d;background:#b5651d}.l2{fill:#7d8b99;background:#7d8b99}
.l3{fill:#c9a227;background:#c9a227}.l4{fill:#2e7d6b;background:#2e7d6b}.l5{fill:#5b3fa6;background:#5b3fa6}
figure.chart{margin:.5rem 0 1rem}
figure.chart svg{width:100%;height:auto;max-height:14rem;display:block}
figure.chart .grid{stroke:#e3e6ea;stroke-width:1}
figure.chart .tick{font-size:12px;fill:#4d5561}
figure.chart .line{fill:none;stroke:#0b57d0;stroke-width:2.5}
figure.chart .dot{fill:#0b57d0}
figure.chart figcaption{font-size:.9rem}
ol.ranking{padding-left:1.5rem;margin:.25rem 0}
.notice{border-left:4px solid #0b57d0;background:#eef3fd;padding:.75rem 1rem;border-radius:4px}
code{background:#eef0f3;padding:.05rem .3rem;border-radius:4px;font-size:.92em}
`;
