/**
 * A streaming XML reader for test and coverage reports, on `saxes` (a strict, well-formedness
 * checking SAX parser): reports of 50 MB and more are read chunk by chunk, never held whole, and a
 * malformed or truncated file is refused with the real line and column.
 *
 * Readers see elements as open/close/text events, with the depth and line of each start tag; an
 * error a reader throws from a handler ends the read and reaches the caller as it was thrown.
 */
import fs from 'node:fs';
import { SaxesParser } from 'saxes';

export interface XmlHandlers {
  /** `depth` is 0 for the root element; `line` (1-based) is where the start tag ends. */
  open(name: string, attrs: Record<string, string>, depth: number, line: number): void;
  close(name: string, depth: number): void;
  /** Character data and CDATA sections, entities decoded. */
  text?(text: string): void;
}

/** The XML is not well-formed (or ends early). `line` and `column` are 1-based. */
export class XmlSyntaxError extends Error {
  constructor(
    readonly line: number,
    readonly column: number,
    readonly reason: string,
  ) {
    super(`malformed XML at line ${line}, column ${column}: ${reason}`);
    this.name = 'XmlSyntaxError';
  }
}

/** Push-based: `write` chunks of text as they arrive, then `end`. Throws `XmlSyntaxError`. */
export class XmlReader {
  private readonly parser = new SaxesParser({ position: true });
  /** Open elements with the line each opened on, so a truncated file can say where it stopped. */
  private readonly open: { name: string; line: number }[] = [];
  private error?: XmlSyntaxError;
  private started = false;
  private blank = true;

  constructor(private readonly h: XmlHandlers) {
    const p = this.parser;
    p.on('error', (err) => {
      // saxes goes on after an error; the first one is the one that explains the file.
      this.error ??= this.syntaxError(err.message);
    });
    p.on('opentag', (tag) => {
      const depth = this.open.length;
      this.open.push({ name: tag.name, line: p.line });
      // saxes sends closetag for a self-closing <a/> too.
      h.open(tag.name, tag.attributes as Record<string, string>, depth, p.line);
    });
    p.on('closetag', (tag) => {
      this.open.pop();
      h.close(tag.name, this.open.length);
    });
    if (h.text) {
      const text = h.text.bind(h);
      p.on('text', text);
      p.on('cdata', text);
    }
  }

  write(chunk: string): void {
    if (!this.started) {
      this.started = true;
      // A UTF-8 BOM is common in reports written on Windows; it is not content.
      if (chunk.charCodeAt(0) === 0xfeff) chunk = chunk.slice(1);
    }
    if (this.blank && /\S/.test(chunk)) this.blank = false;
    this.parser.write(chunk);
    this.check();
  }

  end(): void {
    if (this.blank) throw new XmlSyntaxError(1, 1, 'the file is empty');
    if (this.error) throw this.error;
    if (this.open.length > 0) {
      const inner = this.open[this.open.length - 1] as { name: string; line: number };
      throw new XmlSyntaxError(
        this.parser.line,
        Math.max(1, this.parser.column),
        `the file ends inside <${inner.name}> (opened at line ${inner.line}): it is cut short (was the run killed, or the disk full?)`,
      );
    }
    this.parser.close();
    this.check();
  }

  private check(): void {
    if (this.error) throw this.error;
  }

  /**
   * saxes prefixes its messages with `line:column: `, the column being (0-based) that of the next
   * character, i.e. the 1-based column of the character that was wrong; we keep only the reason.
   */
  private syntaxError(message: string): XmlSyntaxError {
    const m = /^(?:[^:]*:)?(\d+):(\d+): (.*)$/s.exec(message);
    const line = m ? Number(m[1]) : this.parser.line;
    const column = Math.max(1, m ? Number(m[2]) : this.parser.column);
    return new XmlSyntaxError(line, column, (m?.[3] ?? message).replace(/\.$/, ''));
  }
}

/** Reads `text` whole through `h`. */
export function readXmlString(text: string, h: XmlHandlers): void {
  const r = new XmlReader(h);
  r.write(text);
  r.end();
}

/** Streams a file through `h`, 1 MiB at a time: a large report is never held whole. */
export async function readXmlFile(file: string, h: XmlHandlers): Promise<void> {
  const r = new XmlReader(h);
  const stream = fs.createReadStream(file, { encoding: 'utf8', highWaterMark: 1 << 20 });
  try {
    for await (const chunk of stream) r.write(chunk as string);
    r.end();
  } finally {
    stream.destroy();
  }
}

/** The first characters of a text, on one line, to show in a message about what the file held. */
export function firstBytes(text: string, max = 60): string {
  const one = text
    .replace(/^\uFEFF/, '')
    .trimStart()
    .replace(/\s+/g, ' ');
  return one.length > max ? `${one.slice(0, max)}…` : one;
}
