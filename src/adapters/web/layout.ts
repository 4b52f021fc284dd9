import type { WebIdentity } from '../../core/web/index.js';
import type { Html, Part } from './html.js';
import { html } from './html.js';

/** The page frame: title, the stylesheet, a header with the signed-in person and sign-out. No script. */
export function layout(page: { title: string; signedIn?: WebIdentity | undefined; body: Part }): Html {
  const who = page.signedIn;
  return html`<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${page.title} · Steward</title>
<link rel="stylesheet" href="/web/style.css">
</head>
<body>
<header class="top">
<a href="/">Steward scoreboard</a>
${who ? html`<span class="who">Signed in as ${who.name ?? who.email ?? who.id}</span><form method="post" action="/signout"><button type="submit">Sign out</button></form>` : ''}
</header>
<main>
${page.body}
</main>
</body>
</html>
`;
}
