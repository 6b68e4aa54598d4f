import { type NotifyEvent, shouldNotify, slackMessage } from '../../src/notify/message';

const failed: NotifyEvent = {
  repository: 'acme/api',
  environment: 'production',
  result: 'failed',
  failedStage: 'migrate',
  reason: 'relation "users" already exists',
  branch: 'main',
  sha: 'abc1234def5678abc1234def5678abc1234def56',
  actor: 'octocat',
  runUrl: 'https://github.com/acme/api/actions/runs/42',
  url: 'https://api.acme.test',
};

// The blocks are unknown[] on purpose (Slack's schema is not ours); tests look at them as JSON.
type Block = {
  type: string;
  text?: { text: string };
  fields?: { text: string }[];
  elements?: Record<string, unknown>[];
};
const blocksOf = (e: NotifyEvent): Block[] => slackMessage(e).blocks as Block[];
const fieldTexts = (e: NotifyEvent): string[] =>
  blocksOf(e)
    .flatMap((b) => b.fields ?? [])
    .map((f) => f.text);
const allMrkdwn = (e: NotifyEvent): string[] => {
  const m = slackMessage(e);
  return [m.text, ...JSON.stringify(m.blocks).match(/"text":"(?:[^"\\]|\\.)*"/g)!];
};

describe('slackMessage', () => {
  test('the fallback text is one line with the outcome, reason, branch, short SHA and actor', () => {
    const { text } = slackMessage(failed);
    expect(text).toBe(
      '❌ acme/api production: failed at migrate — relation "users" already exists (main @ abc1234 by octocat)' +
        ' · <https://github.com/acme/api/actions/runs/42|run>',
    );
    expect(text).not.toContain('\n');
  });

  test('blocks: header, the fields, the reason, buttons to the run and the app', () => {
    const blocks = blocksOf(failed);
    expect(blocks.map((b) => b.type)).toEqual(['header', 'section', 'section', 'actions', 'context']);
    expect(blocks[0]!.text!.text).toBe('❌ acme/api production: failed at migrate');
    expect(fieldTexts(failed)).toEqual([
      '*Environment*\nproduction',
      '*Result*\nfailed',
      '*Branch*\nmain',
      '*Commit*\n`abc1234`',
      '*Actor*\noctocat',
      '*Failed stage*\nmigrate',
    ]);
    expect(blocks[2]!.text!.text).toBe('*Reason*\nrelation "users" already exists');
    expect(blocks[3]!.elements).toEqual([
      expect.objectContaining({ type: 'button', url: 'https://github.com/acme/api/actions/runs/42' }),
      expect.objectContaining({ type: 'button', url: 'https://api.acme.test/' }),
    ]);
  });

  test('optional parts are left out, and a rollback names both versions', () => {
    const e: NotifyEvent = {
      repository: 'acme/api',
      environment: 'staging',
      result: 'rolled-back',
      sha: 'def5678000',
      rollback: { from: 'def5678000', to: 'abc1234000' },
    };
    const { text } = slackMessage(e);
    expect(text).toBe('↩️ acme/api staging: rolled back def5678 → abc1234 (def5678)');
    expect(blocksOf(e).map((b) => b.type)).toEqual(['header', 'section', 'context']);
    expect(fieldTexts(e)).toContain('*Live version*\n`def5678` → `abc1234`');
    expect(fieldTexts(e).some((f) => f.startsWith('*Branch*') || f.startsWith('*Actor*'))).toBe(false);
  });

  test('hostile branch, reason and actor are escaped everywhere mrkdwn is parsed', () => {
    const e: NotifyEvent = {
      ...failed,
      branch: 'x<!channel>&<https://evil.test|docs>',
      reason: '<script>alert(1)</script> & <!here>',
      actor: 'mallory>',
    };
    const { text } = slackMessage(e);
    expect(text).toContain('— &lt;script&gt;alert(1)&lt;/script&gt; &amp; &lt;!here&gt;');
    expect(text).toContain('(x&lt;!channel&gt;&amp;&lt;https://evil.test|docs&gt; @ abc1234 by mallory&gt;)');
    expect(fieldTexts(e)).toContain('*Branch*\nx&lt;!channel&gt;&amp;&lt;https://evil.test|docs&gt;');
    expect(blocksOf(e)[2]!.text!.text).toBe(
      '*Reason*\n&lt;script&gt;alert(1)&lt;/script&gt; &amp; &lt;!here&gt;',
    );
    // The only `<` left anywhere is the run link this module built.
    for (const t of allMrkdwn(e))
      expect(t.replace('<https://github.com/acme/api/actions/runs/42|run>', '')).not.toMatch(/[<>]/);
  });

  test('unsafe link targets are dropped rather than sent', () => {
    const e = { ...failed, runUrl: 'javascript:alert(1)', url: 'not a url' };
    expect(slackMessage(e).text).not.toContain('<');
    expect(blocksOf(e).some((b) => b.type === 'actions')).toBe(false);
  });

  test('long reasons are clipped under Slack limits without splitting an entity', () => {
    const e = { ...failed, reason: '&'.repeat(5000), branch: 'b'.repeat(500) };
    const m = slackMessage(e);
    const reason = blocksOf(e)[2]!.text!.text;
    expect(reason.length).toBeLessThanOrEqual(3000);
    expect(reason).toMatch(/^\*Reason\*\n(&amp;)+…$/);
    expect(m.text.length).toBeLessThan(1000);
    expect(m.text).toMatch(/— (&amp;)+… \(b+… @/);
    for (const f of fieldTexts(e)) expect(f.length).toBeLessThanOrEqual(2000);
    const header = slackMessage({ ...failed, environment: 'e'.repeat(400) }).blocks[0] as Block;
    expect(header.text!.text.length).toBeLessThanOrEqual(150);
  });

  test('a multi-line reason stays one line in the fallback text', () => {
    const { text } = slackMessage({ ...failed, reason: 'line one\n  line two\n' });
    expect(text).toContain('— line one line two (main');
  });
});

describe('shouldNotify', () => {
  const results: NotifyEvent['result'][] = ['deployed', 'rolled-back', 'failed', 'skipped', 'planned'];
  test.each([
    ['failure', [false, false, true, false, false]],
    ['always', [true, true, true, true, true]],
    ['never', [false, false, false, false, false]],
  ] as const)('notify-on %s', (on, expected) => {
    expect(results.map((r) => shouldNotify(on, r))).toEqual(expected);
  });

  test('an automatic rollback (verify failed) is a failure; a deliberate rollback is not', () => {
    expect(shouldNotify('failure', 'rolled-back', true)).toBe(true);
    expect(shouldNotify('failure', 'rolled-back', false)).toBe(false);
  });
});
