/** The chat platforms Steward speaks on; the shell is the local one. */
export type Platform = 'slack' | 'teams' | 'shell';

/**
 * The platform-neutral message vocabulary. Commands and jobs build these; each platform has one
 * pure renderer that handles every kind, owns the platform's limits and escapes catalog text.
 * Every string in here is data, never markup.
 */

/** A person as a message refers to them; renderers mention them natively when an id is known. */
export interface PersonRef {
  readonly name: string;
  readonly email?: string | undefined;
  /** Chat identities, when known: Slack user id (U…), Teams user id (29:…). */
  readonly slackId?: string | undefined;
  readonly teamsId?: string | undefined;
}

export type Inline =
  | string
  | { readonly type: 'strong'; readonly text: string }
  | { readonly type: 'code'; readonly text: string }
  | { readonly type: 'link'; readonly url: string; readonly label: string }
  | { readonly type: 'mention'; readonly person: PersonRef }
  /** A chat channel named by the catalog (Slack `C…` id or `#name`, a Teams channel link). */
  | { readonly type: 'channel'; readonly channel: string };

export type Action =
  | { readonly type: 'url'; readonly label: string; readonly url: string }
  | {
      readonly type: 'button';
      readonly label: string;
      /** Stable id the platform sends back, e.g. `post_to_channel`. */
      readonly id: string;
      readonly value: string;
      readonly style?: 'primary' | 'danger' | undefined;
    };

export type Block =
  | { readonly kind: 'heading'; readonly text: string }
  | { readonly kind: 'text'; readonly spans: readonly Inline[] }
  | { readonly kind: 'fields'; readonly items: ReadonlyArray<{ readonly label: string; readonly value: readonly Inline[] }> }
  | { readonly kind: 'list'; readonly items: ReadonlyArray<readonly Inline[]>; readonly more?: number | undefined }
  | { readonly kind: 'context'; readonly spans: readonly Inline[] }
  | { readonly kind: 'actions'; readonly actions: readonly Action[] }
  | { readonly kind: 'divider' };

export type Visibility = 'caller' | 'channel';

export interface Reply {
  /** Plain text for notifications, screen readers and platforms that show no blocks. */
  readonly fallback: string;
  readonly blocks: readonly Block[];
  /** `caller`: only the person who asked sees it (Slack ephemeral); `channel`: everyone. */
  readonly visibility: Visibility;
}
