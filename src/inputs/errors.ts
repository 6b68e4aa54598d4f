/**
 * A bad input value. The message is the whole story on one line: the input, what was given and
 * what is allowed. Secret inputs never have their value echoed.
 */
export class InputError extends Error {
  constructor(
    readonly input: string,
    given: string,
    allowed: string,
    opts: { secret?: boolean } = {},
  ) {
    const shown = opts.secret ? '(hidden: secret input)' : JSON.stringify(truncate(given, 120));
    super(`Input '${input}' is ${shown}: ${allowed}.`);
    this.name = 'InputError';
  }
}

function truncate(s: string, max: number): string {
  return s.length <= max ? s : `${s.slice(0, max)}…`;
}
