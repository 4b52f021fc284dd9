import type { WebIdentity } from '../../core/web/index.js';
import { levelLabel } from '../../core/scoring/index.js';
import { distributionBar, stepChart } from './charts.js';
import type { Html } from './html.js';
import { externalLink, html } from './html.js';
import { layout } from './layout.js';
import type { HomeView, NotFoundView, RefView, ScorecardView, ServiceView, TeamView } from './scoreboard-data.js';

/**
 * One pure render function per page: view model in, a whole HTML document out. Every catalog
 * string goes through `html`'s escaping; every outside URL through `externalLink`.
 */

const refLink = (r: RefView): Html => (r.href ? html`<a href="${r.href}">${r.label}</a>` : html`${r.label}`);
const day = (d: Date): string => d.toISOString().slice(0, 10);
const signed = (n: number): string => (n > 0 ? `+${n}` : String(n));

export function age(from: Date, now: Date): string {
  const minutes = Math.max(0, Math.round((now.getTime() - from.getTime()) / 60_000));
  if (minutes < 60) return minutes <= 1 ? 'just now' : `${minutes} minutes ago`;
  const hours = Math.round(minutes / 60);
  if (hours < 48) return `${hours} hour${hours === 1 ? '' : 's'} ago`;
  return `${Math.round(hours / 24)} days ago`;
}

const NO_SCORES = html`<section class="card notice"><h2>No scores yet</h2>
<p>Steward has not scored any service. Import the catalog, then score every service once:</p>
<p><code>steward import catalog-info.yaml</code> then <code>steward score</code></p>
<p>Facts from CI (<code>steward facts push</code> or <code>POST /api/v1/facts</code>) and asking <code>health &lt;service&gt;</code> in chat record scores too; the weekly leaderboard run scores everything.</p></section>`;

export function renderHome(view: HomeView, who: WebIdentity): string {
  const body = html`<h1>Scoreboard</h1>
${view.scored ? '' : NO_SCORES}
<div class="grid2">
${view.scorecards.map(
  (c) => html`<section class="card" aria-labelledby="sc-${c.id}">
<h2 id="sc-${c.id}"><a href="/scorecards/${encodeURIComponent(c.id)}">${c.title}</a></h2>
${c.description ? html`<p class="muted">${c.description}</p>` : ''}
${c.services > 0 ? html`<p>${c.services} service${c.services === 1 ? '' : 's'} scored.</p>${distributionBar(`${c.title} levels`, c.distribution)}` : html`<p class="muted">No service scored on this scorecard yet.</p>`}
${
  c.teams.length > 0
    ? html`<h3>Team leaderboard</h3><ol class="ranking">${c.teams.map(
        (t) => html`<li value="${t.rank}">${refLink(t.team)}: ${t.averageScore}/100, ${t.services} service${t.services === 1 ? '' : 's'}${t.delta ? html` <span class="muted">(${signed(t.delta)} since ${view.since})</span>` : ''}</li>`,
      )}</ol>${c.teamCount > c.teams.length ? html`<p class="muted">and ${c.teamCount - c.teams.length} more teams</p>` : ''}`
    : ''
}
</section>`,
)}
</div>
<section class="card"><h2>Most improved since ${view.since}</h2>
${
  view.mostImproved.length > 0
    ? html`<ol class="ranking">${view.mostImproved.map((m) => html`<li>${refLink(m.team)}: ${signed(m.delta)} on ${m.scorecard} (now ${m.averageScore}/100)</li>`)}</ol>`
    : html`<p class="muted">No team gained points since last week.</p>`
}
</section>`;
  return layout({ title: 'Scoreboard', signedIn: who, body }).value;
}

export function renderScorecard(view: ScorecardView, who: WebIdentity): string {
  const ticks = [0, ...view.levels.map((_, i) => i + 1)].map((v) => ({ value: v, label: v === 0 ? 'No level' : levelLabel(view.levels[v - 1]) }));
  const body = html`<h1>${view.title}</h1>
${view.description ? html`<p>${view.description}</p>` : ''}
${view.services === 0 ? NO_SCORES : ''}
<section class="card"><h2>Levels across the organisation</h2>
<p>${view.services} service${view.services === 1 ? '' : 's'} scored.</p>
${distributionBar(`${view.title} levels`, view.distribution)}
<h3>Median level over time</h3>
${stepChart({
  title: `${view.title}: median level`,
  points: view.medianTrend,
  max: view.levels.length,
  ticks,
  format: (v) => (Number.isInteger(v) ? (v === 0 ? 'No level' : levelLabel(view.levels[v - 1])) : `between ${levelLabel(view.levels[Math.floor(v) - 1])} and ${levelLabel(view.levels[Math.ceil(v) - 1])}`),
  until: view.now,
})}
</section>
<section class="card"><h2>Checks that fail most</h2>
${
  view.failing.length === 0
    ? html`<p>No check fails on any scored service.</p>`
    : html`<p class="muted">Where the paved road should go next: each check with the services failing it.</p>
${view.failing.map(
  (c) => html`<h3>${c.title} <span class="muted">(${levelLabel(c.level)}): ${c.count} failing</span></h3>
<p>${c.fixHow}</p>
<p>${c.services.map((s, i) => html`${i > 0 ? ', ' : ''}${refLink(s)}`)}${c.count > c.services.length ? html`, and ${c.count - c.services.length} more` : ''}</p>`,
)}`
}
</section>`;
  return layout({ title: view.title, signedIn: who, body }).value;
}

export function renderTeam(view: TeamView, who: WebIdentity, now: Date): string {
  const body = html`<h1>${view.name}</h1>
${view.description ? html`<p>${view.description}</p>` : ''}
<section class="card"><dl class="facts">
${view.parent ? html`<dt>Part of</dt><dd>${refLink(view.parent)}</dd>` : ''}
${view.email ? html`<dt>Email</dt><dd>${externalLink(`mailto:${view.email}`, view.email)}</dd>` : ''}
<dt>Members</dt><dd>${view.members.length === 0 ? 'none in the catalog' : view.members.map((m, i) => html`${i > 0 ? ', ' : ''}${m.name}`)}</dd>
</dl></section>
<section class="card"><h2>Services (${view.services.length})</h2>
${
  view.services.length === 0
    ? html`<p>Owns nothing in the catalog directly.</p>`
    : html`<div class="table-wrap"><table><thead><tr><th scope="col">Service</th>${view.scorecards.map((c) => html`<th scope="col">${c.title}</th>`)}</tr></thead><tbody>
${view.services.map((s) => html`<tr><td>${refLink(s.service)}</td>${view.scorecards.map((c) => {
  const l = s.levels[c.id];
  return html`<td>${l ? `${l.level} · ${l.score}/100` : html`<span class="muted">not scored</span>`}</td>`;
})}</tr>`)}
</tbody></table></div>`
}
</section>
<section class="card"><h2>Trend</h2>
${stepChart({ title: `${view.name}: mean score of its services`, points: view.trend, max: 100, format: (v) => `${v}/100`, until: now })}
</section>`;
  return layout({ title: view.name, signedIn: who, body }).value;
}

const STATE_TEXT: Record<string, string> = { pass: '✓ pass', fail: '✗ fail', unknown: '? unknown', exempt: '~ exempt' };

export function renderService(view: ServiceView, who: WebIdentity): string {
  const body = html`<h1>${view.title}</h1>
<p>${view.description ?? html`<span class="muted">No description in the catalog.</span>`}</p>
<section class="card"><dl class="facts">
<dt>Kind</dt><dd>${view.kind}${view.lifecycle ? `, ${view.lifecycle}` : ''}</dd>
<dt>Owner</dt><dd>${view.owner ? html`${refLink(view.owner)}${view.ownerVia !== 'owner' ? html` <span class="muted">(via ${view.ownerVia})</span>` : ''}` : 'none on record'}</dd>
${view.system ? html`<dt>System</dt><dd>${refLink(view.system)}</dd>` : ''}
<dt>On call</dt><dd>${view.oncall.summary}${
    view.oncall.people.length > 0
      ? html`<ul>${view.oncall.people.map((p) => html`<li>${p.level === 1 ? 'Primary' : p.level === 2 ? 'Secondary' : `Level ${p.level}`}: ${p.name}${p.until ? ` until ${p.until.toISOString().slice(0, 16).replace('T', ' ')} UTC` : ''}</li>`)}</ul>`
      : ''
  }${view.oncall.pageUrl ? html` ${externalLink(view.oncall.pageUrl, 'Page')}` : ''}</dd>
${view.links.length > 0 ? html`<dt>Links</dt><dd>${view.links.map((l, i) => html`${i > 0 ? ' · ' : ''}${externalLink(l.url, l.title)}`)}</dd>` : ''}
</dl></section>
${view.results.length === 0 ? html`<section class="card"><p>No scorecard applies to this ${view.kind.toLowerCase()}.</p></section>` : ''}
${view.results.map(
  (r) => html`<section class="card" aria-labelledby="r-${r.id}"><h2 id="r-${r.id}">${r.title}: ${levelLabel(r.level)} · ${r.score}/100</h2>
${r.nextLevel ? html`<p class="muted">Next level: ${levelLabel(r.nextLevel)}.</p>` : html`<p class="muted">Top level reached.</p>`}
<div class="table-wrap"><table><thead><tr><th scope="col">Check</th><th scope="col">State</th><th scope="col">Evidence</th><th scope="col">Facts</th><th scope="col">Fix</th></tr></thead><tbody>
${r.checks.map(
  (c) => html`<tr><td>${c.title}<br><span class="muted">${levelLabel(c.level)}</span></td>
<td><span class="state ${c.state}">${STATE_TEXT[c.state] ?? c.state}</span>${c.failingSince ? html`<br><span class="muted">failing since ${day(c.failingSince)}</span>` : ''}${c.exemption ? html`<br><span class="muted">until ${c.exemption.until}: ${c.exemption.reason} (${c.exemption.by})</span>` : ''}</td>
<td>${c.evidence}</td>
<td>${c.facts.length === 0 ? html`<span class="muted">from the catalog</span>` : c.facts.map((f) => html`<div><code>${f.key}</code> = ${f.value}<br><span class="muted">from ${f.source}, ${age(f.observedAt, view.now)}</span></div>`)}</td>
<td>${c.state === 'pass' ? '' : html`${c.fixHow}${c.fixUrl ? html` ${externalLink(c.fixUrl, 'How to fix')}` : ''}`}</td></tr>`,
)}
</tbody></table></div>
<h3>Score history</h3>
${stepChart({ title: `${view.title}: ${r.title} score`, points: r.history, max: 100, format: (v) => `${v}/100`, until: view.now })}
</section>`,
)}
<p class="muted">${view.ref}</p>`;
  return layout({ title: view.title, signedIn: who, body }).value;
}

const WHAT: Record<NotFoundView['what'], string> = { service: 'service', team: 'team', scorecard: 'scorecard', page: 'page' };

export function renderNotFound(view: NotFoundView, who: WebIdentity): string {
  const body = html`<h1>No ${WHAT[view.what]} called “${view.query}”</h1>
<section class="card">
${
  view.suggestions.length > 0
    ? html`<p>Did you mean:</p><ul>${view.suggestions.map((s) => html`<li>${refLink(s)}</li>`)}</ul>`
    : html`<p>Nothing in the catalog has a name close to it.</p>`
}
<p><a href="/">Back to the scoreboard</a></p>
</section>`;
  return layout({ title: 'Not found', signedIn: who, body }).value;
}

export type SignInReason = 'signed-out' | 'expired-session' | 'invalid-session' | 'expired-link' | 'used-link' | 'unknown-link' | 'signed-out-now' | 'sso-failed';

const REASONS: Record<SignInReason, string> = {
  'signed-out': 'The scoreboard is for signed-in people only.',
  'signed-out-now': 'You are signed out.',
  'expired-session': 'Your session has ended.',
  'invalid-session': 'Your session could not be checked (it was changed, or signed with another key).',
  'expired-link': 'This sign-in link has expired: a link is valid for 15 minutes.',
  'used-link': 'This sign-in link was used already: each link opens once.',
  'unknown-link': 'This sign-in link is not valid.',
  'sso-failed': 'Single sign-on did not complete (the provider said no, or the sign-in took longer than 10 minutes).',
};

/** Every way of not being signed in lands here, saying what to do next. */
export function renderSignIn(reason: SignInReason, options: { sso?: boolean } = {}): string {
  const body = html`<h1>Sign in to the scoreboard</h1>
<section class="card">
<p>${REASONS[reason]}</p>
${options.sso ? html`<p><a href="/signin/oidc">Sign in with your company account</a></p><p>Or:</p>` : ''}
<p>To sign in, ask Steward in chat for a personal link: <code>/service scoreboard</code> in Slack, or <code>scoreboard</code> to the Steward bot in Teams. The link is yours alone, opens once and is valid for 15 minutes.</p>
</section>`;
  return layout({ title: 'Sign in', body }).value;
}

/** The page a sign-in link opens: one button, so link previews in chat cannot use the link up. */
export function renderConfirmSignIn(token: string, who: { name?: string | undefined; email?: string | undefined; id: string }): string {
  const body = html`<h1>Sign in to the scoreboard</h1>
<section class="card">
<p>This link signs you in as <strong>${who.name ?? who.email ?? who.id}</strong>.</p>
<form method="post" action="/signin/${token}"><button class="primary" type="submit">Sign in</button></form>
</section>`;
  return layout({ title: 'Sign in', body }).value;
}
