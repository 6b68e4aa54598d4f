import { clipMrkdwn, clipPlain, escapeMrkdwn, oneLine, safeLinkUrl } from './mrkdwn';

/**
 * The Slack-compatible message for `notify-webhook`. Pure: the caller decides whether to send
 * (shouldNotify) and sends it (sendWebhook).
 */
export interface NotifyEvent {
  repository: string;
  environment: string;
  result: 'deployed' | 'rolled-back' | 'failed' | 'skipped' | 'planned';
  failedStage?: string;
  reason?: string;
  branch?: string;
  sha: string;
  actor?: string;
  runUrl?: string;
  /** The app's URL. */
  url?: string;
  /** Commit SHAs of the live version before and after. */
  rollback?: { from: string; to: string };
}

export type NotifyOn = 'failure' | 'always' | 'never';

/**
 * `failure` covers an automatic rollback (the new version failed verify) but not a deliberate one
 * (a re-run or rollback-to that worked): that run did what someone asked.
 */
export function shouldNotify(on: NotifyOn, result: NotifyEvent['result'], autoRolledBack = false): boolean {
  if (on === 'never') return false;
  if (on === 'always') return true;
  return result === 'failed' || (result === 'rolled-back' && autoRolledBack);
}

const ICON: Record<NotifyEvent['result'], string> = {
  deployed: '✅',
  'rolled-back': '↩️',
  failed: '❌',
  skipped: '⏭️',
  planned: '📝',
};

const LABEL: Record<NotifyEvent['result'], string> = {
  deployed: 'deployed',
  'rolled-back': 'rolled back',
  failed: 'failed',
  skipped: 'skipped',
  planned: 'planned (dry run)',
};

// Slack's limits: header 150, a field 2000, a section 3000. Field values (names, branches) are
// clipped well below theirs; the fallback text stays short because notifications and block-less
// receivers show it.
const HEADER_MAX = 150;
const SECTION_MAX = 3000;
const FALLBACK_REASON_MAX = 300;
const SHORT_VALUE_MAX = 200;

const short = (sha: string): string => sha.slice(0, 7);

function outcome(e: NotifyEvent): string {
  const base = LABEL[e.result];
  return e.result === 'failed' && e.failedStage ? `${base} at ${e.failedStage}` : base;
}

/** e.g. `❌ acme/api production: failed at migrate — boom (main @ abc1234 by octocat)`. */
function fallbackText(e: NotifyEvent): string {
  const v = (s: string, max = SHORT_VALUE_MAX): string => clipMrkdwn(oneLine(s), max);
  let text = `${ICON[e.result]} ${v(e.repository)} ${v(e.environment)}: ${v(outcome(e))}`;
  if (e.rollback) text += ` ${v(short(e.rollback.from))} → ${v(short(e.rollback.to))}`;
  if (e.reason?.trim()) text += ` — ${v(e.reason, FALLBACK_REASON_MAX)}`;
  const where = [e.branch ? v(e.branch) : undefined, v(short(e.sha))].filter(Boolean).join(' @ ');
  text += ` (${where}${e.actor ? ` by ${v(e.actor)}` : ''})`;
  // Block-less receivers (Mattermost, Discord's /slack) only show this line: give them the run.
  const run = safeLinkUrl(e.runUrl);
  if (run) text += ` · <${escapeMrkdwn(run)}|run>`;
  return text;
}

function field(title: string, raw: string): { type: 'mrkdwn'; text: string } {
  return { type: 'mrkdwn', text: `*${title}*\n${clipMrkdwn(raw, SHORT_VALUE_MAX)}` };
}

export function slackMessage(e: NotifyEvent): { text: string; blocks: unknown[] } {
  const blocks: unknown[] = [
    {
      type: 'header',
      text: {
        type: 'plain_text',
        text: clipPlain(
          oneLine(`${ICON[e.result]} ${e.repository} ${e.environment}: ${outcome(e)}`),
          HEADER_MAX,
        ),
        emoji: true,
      },
    },
  ];

  const fields = [field('Environment', e.environment), field('Result', LABEL[e.result])];
  if (e.branch) fields.push(field('Branch', e.branch));
  fields.push({ type: 'mrkdwn', text: `*Commit*\n\`${escapeMrkdwn(short(e.sha))}\`` });
  if (e.actor) fields.push(field('Actor', e.actor));
  if (e.failedStage) fields.push(field('Failed stage', e.failedStage));
  if (e.rollback) {
    const [from, to] = [e.rollback.from, e.rollback.to].map((s) => `\`${escapeMrkdwn(short(s))}\``);
    fields.push({ type: 'mrkdwn', text: `*Live version*\n${from} → ${to}` });
  }
  blocks.push({ type: 'section', fields });

  // The reason gets its own section: a field holds 2000 characters, a section 3000.
  if (e.reason?.trim()) {
    const title = '*Reason*\n';
    blocks.push({
      type: 'section',
      text: { type: 'mrkdwn', text: title + clipMrkdwn(e.reason.trim(), SECTION_MAX - title.length) },
    });
  }

  const buttons: unknown[] = [];
  const run = safeLinkUrl(e.runUrl);
  const app = safeLinkUrl(e.url);
  if (run) buttons.push(button('View run', run, 'view-run'));
  if (app) buttons.push(button('Open app', app, 'open-app'));
  if (buttons.length) blocks.push({ type: 'actions', elements: buttons });

  blocks.push({
    type: 'context',
    elements: [{ type: 'mrkdwn', text: `safe-deploy · commit \`${clipMrkdwn(e.sha, 64)}\`` }],
  });

  return { text: fallbackText(e), blocks };
}

function button(label: string, url: string, actionId: string): unknown {
  return { type: 'button', text: { type: 'plain_text', text: label }, url, action_id: actionId };
}
