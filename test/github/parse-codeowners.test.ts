import { describe, expect, it } from 'vitest';
import { codeownersFor, parseCodeowners } from '../../src/core/github/index.js';

// The example file of GitHub's "About code owners" page, every documented syntax, plus the lines
// GitHub rejects.
const DOCS_EXAMPLE = `# This is a comment.
# Each line is a file pattern followed by one or more owners.

# These owners will be the default owners for everything in
# the repo. Unless a later match takes precedence,
# @global-owner1 and @global-owner2 will be requested for
# review when someone opens a pull request.
*       @global-owner1 @global-owner2

# Order is important; the last matching pattern takes the most
# precedence. When someone opens a pull request that only
# modifies JS files, only @js-owner and not the global
# owner(s) will be requested for a review.
*.js    @js-owner #This is an inline comment.

# You can also use email addresses if you prefer. They'll be
# used to look up users just like we do for commit author
# emails.
*.go docs@example.com

# Teams can be specified as code owners as well. Teams should
# be identified in the format @org/team-name. Teams must have
# explicit write access to the repository. In this example,
# the octocats team in the octo-org organization owns all .txt files.
*.txt @octo-org/octocats

# In this example, @doctocat owns any files in the build/logs
# directory at the root of the repository and any of its
# subdirectories.
/build/logs/ @doctocat

# The \`docs/*\` pattern will match files like
# \`docs/getting-started.md\` but not further nested files like
# \`docs/build-app/troubleshooting.md\`.
docs/*  docs@example.com

# In this example, @octocat owns any file in an apps directory
# anywhere in your repository.
apps/ @octocat

# In this example, @doctocat owns any file in the \`/docs\`
# directory in the root of your repository and any of its
# subdirectories.
/docs/ @doctocat

# In this example, any change inside the \`/scripts\` directory
# will require approval from @doctocat or @octocat.
/scripts/ @doctocat @octocat

# In this example, @octocat owns any file in a \`/logs\` directory such as
# \`/build/logs\`, \`/scripts/logs\`, and \`/deeply/nested/logs\`. Any changes
# in a \`/logs\` directory will require approval from @octocat.
**/logs @octocat

# In this example, @octocat owns any file in the \`/apps\`
# directory in the root of your repository except for the \`/apps/github\`
# subdirectory, as its owners are left empty. Without an owner, changes
# to \`apps/github\` can be made with the approval of any user who has
# write access to the repository.
/apps/ @octocat
/apps/github

# In this example, @octocat owns any file in the \`/apps\`
# directory in the root of your repository except for the \`/apps/github\`
# subdirectory, as this subdirectory has its own owner @doctocat
/apps/ @octocat
/apps/github @doctocat
`;

const owners = (text: string, path: string): readonly string[] | undefined => codeownersFor(parseCodeowners(text), path)?.owners;

describe('CODEOWNERS', () => {
  const parsed = parseCodeowners(DOCS_EXAMPLE);

  it('parses every documented syntax without a problem', () => {
    expect(parsed.problems).toEqual([]);
    expect(parsed.rules.map((r) => r.pattern)).toContain('**/logs');
    expect(parsed.rules.find((r) => r.pattern === '*.js')!.owners).toEqual(['@js-owner']); // inline comment dropped
  });

  it('lets the last matching rule win', () => {
    expect(owners(DOCS_EXAMPLE, 'README.md')).toEqual(['@global-owner1', '@global-owner2']);
    expect(owners(DOCS_EXAMPLE, 'src/app.js')).toEqual(['@js-owner']);
    expect(owners(DOCS_EXAMPLE, 'cmd/main.go')).toEqual(['docs@example.com']);
    expect(owners(DOCS_EXAMPLE, 'notes/a.txt')).toEqual(['@octo-org/octocats']);
    expect(owners(DOCS_EXAMPLE, 'apps/github/x.rb')).toEqual(['@doctocat']);
    expect(owners(DOCS_EXAMPLE, 'apps/web/x.rb')).toEqual(['@octocat']);
  });

  it('anchors a leading slash at the root and a trailing slash means everything below', () => {
    expect(owners(DOCS_EXAMPLE, 'build/logs/today/out.log')).toEqual(['@octocat']); // **/logs is later than /build/logs/
    expect(owners('/build/logs/ @doctocat', 'build/logs/today/out.log')).toEqual(['@doctocat']);
    expect(owners('/build/logs/ @doctocat', 'src/build/logs/out.log')).toBeUndefined();
    expect(owners('/scripts/ @doctocat @octocat', 'scripts/deploy/run.sh')).toEqual(['@doctocat', '@octocat']);
  });

  it('matches a pattern without a slash, or ending in one, at any depth', () => {
    expect(owners('apps/ @octocat', 'services/apps/main.ts')).toEqual(['@octocat']);
    expect(owners('*.js @js', 'a/b/c/d.js')).toEqual(['@js']);
    expect(owners('**/logs @octocat', 'deeply/nested/logs/x.log')).toEqual(['@octocat']);
  });

  it('keeps docs/* to one level', () => {
    expect(owners('docs/* docs@example.com', 'docs/getting-started.md')).toEqual(['docs@example.com']);
    expect(owners('docs/* docs@example.com', 'docs/build-app/troubleshooting.md')).toBeUndefined();
  });

  it('takes ownership away with a rule without owners', () => {
    expect(owners('/apps/ @octocat\n/apps/github', 'apps/github/x.rb')).toEqual([]);
    expect(owners('/apps/ @octocat\n/apps/github', 'apps/web/x.rb')).toEqual(['@octocat']);
  });

  it('matches paths case-sensitively', () => {
    expect(owners('/Docs/ @a', 'docs/x.md')).toBeUndefined();
    expect(owners('/Docs/ @a', 'Docs/x.md')).toEqual(['@a']);
  });

  it('reports and ignores negation and bad owners, keeps brackets and escapes as literals', () => {
    const text = '* @all\n!secret.txt @x\n[Rr]eadme.md @y\n\\#notes @z\n*.md not-an-owner\n/src/ @acme/core';
    const p = parseCodeowners(text);
    expect(p.problems.map((x) => x.line)).toEqual([2, 5]);
    expect(p.problems[0]!.message).toMatch(/negation/);
    expect(p.problems[1]!.message).toMatch(/not-an-owner is not an owner/);
    expect(p.rules.map((r) => r.line)).toEqual([1, 3, 4, 6]);
    expect(codeownersFor(p, 'src/a.ts')!.owners).toEqual(['@acme/core']);
    expect(codeownersFor(p, '[Rr]eadme.md')!.owners).toEqual(['@y']);
    expect(codeownersFor(p, 'Readme.md')!.owners).toEqual(['@all']);
    expect(codeownersFor(p, '#notes')!.owners).toEqual(['@z']);
  });
});
