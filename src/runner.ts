/**
 * The runner edge: the GitHub Actions runner's workflow commands (stdout lines `::name k=v::text`)
 * and file commands (GITHUB_OUTPUT, GITHUB_STEP_SUMMARY), as GitHub documents them in "Workflow
 * commands for GitHub Actions". Everything the action says to the runner goes through here.
 *
 * Why not @actions/core: its version 3 loads undici (~0.9 MB, for an OIDC client this action
 * never calls) the moment it is imported, which alone made every run's startup ~3× bare Node
 * (`node bench/startup.mjs --core-floor`), over issue #10's 2× goal. These few functions are all
 * of it the action used; __tests__/unit/runner.test.ts checks that they write, byte for byte,
 * what @actions/core writes for the same calls, so the runner reads them the same way.
 */
import fs from 'node:fs';
import os from 'node:os';

/** Where an annotation points; the runner's names for them are in `commandProperties`. */
export interface AnnotationProperties {
  title?: string;
  file?: string;
  startLine?: number;
  endLine?: number;
  startColumn?: number;
  endColumn?: number;
}

/** The input as the runner passes it: `INPUT_<NAME>`, spaces as `_`, trimmed; unset is ''. */
export function getInput(name: string, env: NodeJS.ProcessEnv = process.env): string {
  return (env[`INPUT_${name.replace(/ /g, '_').toUpperCase()}`] ?? '').trim();
}

/** One workflow command line, escaped so a value can never end the command or start another. */
export function formatCommand(command: string, properties: Record<string, unknown>, message: string): string {
  const props = Object.entries(properties)
    .filter(([, v]) => v !== undefined && v !== null && v !== '' && v !== 0 && v !== false)
    .map(([k, v]) => `${k}=${escapeProperty(String(v))}`)
    .join(',');
  return `::${command}${props ? ` ${props}` : ''}::${escapeData(message)}`;
}

const escapeData = (s: string): string => s.replace(/%/g, '%25').replace(/\r/g, '%0D').replace(/\n/g, '%0A');
const escapeProperty = (s: string): string => escapeData(s).replace(/:/g, '%3A').replace(/,/g, '%2C');

/** The runner's property names for an annotation's place. */
function commandProperties(p: AnnotationProperties): Record<string, unknown> {
  return {
    title: p.title,
    file: p.file,
    line: p.startLine,
    endLine: p.endLine,
    col: p.startColumn,
    endColumn: p.endColumn,
  };
}

function issue(command: string, properties: Record<string, unknown>, message: string): void {
  process.stdout.write(formatCommand(command, properties, message) + os.EOL);
}

/**
 * A `name<<delimiter` block of a file command. What keeps a value from closing the block early
 * and smuggling in another output is the check below (a value holding the delimiter is refused),
 * so the delimiter need not be unguessable: a random one made without node:crypto, whose first
 * load is ~3 ms of every run's startup.
 */
export function keyValueBlock(name: string, value: string, delimiter = newDelimiter()): string {
  if (name.includes(delimiter) || value.includes(delimiter))
    throw new Error(`the output ${name} contains its own delimiter ${delimiter}`);
  return `${name}<<${delimiter}${os.EOL}${value}${os.EOL}${delimiter}`;
}

/** In the shape @actions/core's delimiters have (a UUID's), from Math.random. */
function newDelimiter(): string {
  const hex = (n: number): string =>
    Array.from({ length: n }, () => Math.floor(Math.random() * 16).toString(16)).join('');
  return `ghadelimiter_${hex(8)}-${hex(4)}-${hex(4)}-${hex(4)}-${hex(12)}`;
}

/** A step output: appended to GITHUB_OUTPUT (the runner's file command), else the old stdout command. */
export function setOutput(name: string, value: string): void {
  const file = process.env.GITHUB_OUTPUT;
  if (file) {
    if (!fs.existsSync(file)) throw new Error(`Missing file at path: ${file}`);
    fs.appendFileSync(file, keyValueBlock(name, value) + os.EOL, { encoding: 'utf8' });
    return;
  }
  process.stdout.write(os.EOL);
  issue('set-output', { name }, value);
}

/** From this line on, the runner shows the value as *** wherever it appears in the log. */
export const setSecret = (secret: string): void => issue('add-mask', {}, secret);
export const info = (message: string): void => void process.stdout.write(message + os.EOL);
export const debug = (message: string): void => issue('debug', {}, message);
export const notice = (message: string, p: AnnotationProperties = {}): void =>
  issue('notice', commandProperties(p), message);
export const warning = (message: string, p: AnnotationProperties = {}): void =>
  issue('warning', commandProperties(p), message);
export const error = (message: string, p: AnnotationProperties = {}): void =>
  issue('error', commandProperties(p), message);

/** The run fails (exit code 1) with this as its error annotation; the run goes on to the end. */
export function setFailed(message: string): void {
  process.exitCode = 1;
  error(message);
}

/** A collapsible section of the log, closed even when `fn` throws. */
export async function group<T>(title: string, fn: () => Promise<T>): Promise<T> {
  issue('group', {}, title);
  try {
    return await fn();
  } finally {
    issue('endgroup', {}, '');
  }
}

/** Appends markdown to the job summary (GITHUB_STEP_SUMMARY); throws when the runner gave none. */
export async function appendSummary(markdown: string): Promise<void> {
  const file = process.env.GITHUB_STEP_SUMMARY;
  if (!file)
    throw new Error(
      'Unable to find environment variable for $GITHUB_STEP_SUMMARY. Check if your runtime environment supports job summaries.',
    );
  await fs.promises.access(file, fs.constants.R_OK | fs.constants.W_OK);
  await fs.promises.appendFile(file, markdown, { encoding: 'utf8' });
}
