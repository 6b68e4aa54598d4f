"use strict";
exports.id = 669;
exports.ids = [669];
exports.modules = {

/***/ 4669:
/***/ ((__unused_webpack_module, __webpack_exports__, __webpack_require__) => {


// EXPORTS
__webpack_require__.d(__webpack_exports__, {
  runGate: () => (/* binding */ runGate)
});

// EXTERNAL MODULE: external "node:fs"
var external_node_fs_ = __webpack_require__(3024);
var external_node_fs_default = /*#__PURE__*/__webpack_require__.n(external_node_fs_);
// EXTERNAL MODULE: external "node:path"
var external_node_path_ = __webpack_require__(6760);
var external_node_path_default = /*#__PURE__*/__webpack_require__.n(external_node_path_);
// EXTERNAL MODULE: ../types.ts
var types = __webpack_require__(1566);
// EXTERNAL MODULE: ../../node_modules/saxes/saxes.js
var saxes = __webpack_require__(628);
;// CONCATENATED MODULE: ../gate/xml.ts
/**
 * A streaming XML reader for test and coverage reports, on `saxes` (a strict, well-formedness
 * checking SAX parser): reports of 50 MB and more are read chunk by chunk, never held whole, and a
 * malformed or truncated file is refused with the real line and column.
 *
 * Readers see elements as open/close/text events, with the depth and line of each start tag; an
 * error a reader throws from a handler ends the read and reaches the caller as it was thrown.
 */


/** The XML is not well-formed (or ends early). `line` and `column` are 1-based. */
class XmlSyntaxError extends Error {
    line;
    column;
    reason;
    constructor(line, column, reason) {
        super(`malformed XML at line ${line}, column ${column}: ${reason}`);
        this.line = line;
        this.column = column;
        this.reason = reason;
        this.name = 'XmlSyntaxError';
    }
}
/** Push-based: `write` chunks of text as they arrive, then `end`. Throws `XmlSyntaxError`. */
class XmlReader {
    h;
    parser = new saxes/* SaxesParser */.wT({ position: true });
    /** Open elements with the line each opened on, so a truncated file can say where it stopped. */
    open = [];
    error;
    started = false;
    blank = true;
    constructor(h) {
        this.h = h;
        const p = this.parser;
        p.on('error', (err) => {
            // saxes goes on after an error; the first one is the one that explains the file.
            this.error ??= this.syntaxError(err.message);
        });
        p.on('opentag', (tag) => {
            const depth = this.open.length;
            this.open.push({ name: tag.name, line: p.line });
            // saxes sends closetag for a self-closing <a/> too.
            h.open(tag.name, tag.attributes, depth, p.line);
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
    write(chunk) {
        if (!this.started) {
            this.started = true;
            // A UTF-8 BOM is common in reports written on Windows; it is not content.
            if (chunk.charCodeAt(0) === 0xfeff)
                chunk = chunk.slice(1);
        }
        if (this.blank && /\S/.test(chunk))
            this.blank = false;
        this.parser.write(chunk);
        this.check();
    }
    end() {
        if (this.blank)
            throw new XmlSyntaxError(1, 1, 'the file is empty');
        if (this.error)
            throw this.error;
        if (this.open.length > 0) {
            const inner = this.open[this.open.length - 1];
            throw new XmlSyntaxError(this.parser.line, Math.max(1, this.parser.column), `the file ends inside <${inner.name}> (opened at line ${inner.line}): it is cut short (was the run killed, or the disk full?)`);
        }
        this.parser.close();
        this.check();
    }
    check() {
        if (this.error)
            throw this.error;
    }
    /**
     * saxes prefixes its messages with `line:column: `, the column being (0-based) that of the next
     * character, i.e. the 1-based column of the character that was wrong; we keep only the reason.
     */
    syntaxError(message) {
        const m = /^(?:[^:]*:)?(\d+):(\d+): (.*)$/s.exec(message);
        const line = m ? Number(m[1]) : this.parser.line;
        const column = Math.max(1, m ? Number(m[2]) : this.parser.column);
        return new XmlSyntaxError(line, column, (m?.[3] ?? message).replace(/\.$/, ''));
    }
}
/** Reads `text` whole through `h`. */
function xml_readXmlString(text, h) {
    const r = new XmlReader(h);
    r.write(text);
    r.end();
}
/** Streams a file through `h`, 1 MiB at a time: a large report is never held whole. */
async function readXmlFile(file, h) {
    const r = new XmlReader(h);
    const stream = external_node_fs_default().createReadStream(file, { encoding: 'utf8', highWaterMark: 1 << 20 });
    try {
        for await (const chunk of stream)
            r.write(chunk);
        r.end();
    }
    finally {
        stream.destroy();
    }
}
/** The first characters of a text, on one line, to show in a message about what the file held. */
function firstBytes(text, max = 60) {
    const one = text
        .replace(/^\uFEFF/, '')
        .trimStart()
        .replace(/\s+/g, ' ');
    return one.length > max ? `${one.slice(0, max)}…` : one;
}

;// CONCATENATED MODULE: ../gate/coverage.ts
/**
 * Coverage read from one report, whatever tool wrote it, the format detected from the content
 * (file names lie): lcov, Cobertura XML, JaCoCo XML, Clover XML, OpenCover XML, Go's coverprofile,
 * Istanbul's coverage-summary.json and coverage-final.json, SimpleCov's .resultset.json.
 *
 * Line-based formats and XML are streamed (a 20 MB lcov is never held whole); the JSON formats are
 * parsed whole (JSON has no useful streaming reader, and these files stay small).
 *
 * What is counted is what each tool itself calls its headline figure: lines for lcov, Cobertura,
 * JaCoCo, Istanbul and SimpleCov; statements for Go (what `go test -cover` prints) and Clover;
 * sequence points (statements) for OpenCover.
 *
 * `linesValid === 0` means the report measured nothing: we report `percent: 0` rather than guess
 * 100, and leave it to the caller to decide whether "nothing measured" passes the gate. The one
 * exception is a Cobertura report that carries only a `line-rate`: there the counts are unknown
 * (0) but `percent` is the tool's own rate.
 */


const ACCEPTED = 'accepted formats: lcov, Cobertura XML, JaCoCo XML, Clover XML, OpenCover XML, Go coverprofile, Istanbul coverage-summary.json or coverage-final.json, SimpleCov .resultset.json';
const CONVERT = 'to convert another format, ReportGenerator (`reportgenerator -reports:<file> -targetdir:out -reporttypes:Cobertura`) reads most of them';
/** The report is not one we can read. The message is one line, says what was seen, lists the accepted formats. */
class CoverageFormatError extends Error {
    constructor(reason) {
        super(`Unreadable coverage report: ${reason}; ${ACCEPTED}; ${CONVERT}.`);
        this.name = 'CoverageFormatError';
    }
}
/** Parses a coverage report held in memory. */
function parseCoverage(content) {
    const text = content.replace(/^\uFEFF/, '');
    const sink = sinkFor(text);
    sink.write(text);
    return sink.end();
}
/** Streams a coverage report from disk, 1 MiB at a time. */
async function readCoverageFile(file) {
    const stream = external_node_fs_default().createReadStream(file, { encoding: 'utf8', highWaterMark: 1 << 20 });
    let sink;
    try {
        for await (const raw of stream) {
            let chunk = raw;
            if (!sink) {
                chunk = chunk.replace(/^\uFEFF/, '');
                // The first chunk is 1 MiB (or the whole file): plenty to tell the format.
                sink = sinkFor(chunk);
            }
            sink.write(chunk);
        }
    }
    finally {
        stream.destroy();
    }
    return (sink ?? sinkFor('')).end();
}
/** Picks the reader from the first characters of the report. */
function sinkFor(head) {
    const start = head.trimStart();
    if (start === '')
        throw new CoverageFormatError('the file is empty');
    if (start.startsWith('{'))
        return new JsonSink();
    if (start.startsWith('<'))
        return new XmlSink();
    if (/^mode: *(set|count|atomic)\b/.test(start))
        return new GoSink();
    const firstLine = start.slice(0, start.search(/\r?\n|$/));
    if (/^(TN|SF|VER|FN|FNDA|FNF|FNH|DA|LF|LH|BRDA|BRF|BRH|end_of_record)\b/.test(firstLine))
        return new LcovSink();
    throw new CoverageFormatError(`the file starts with "${firstBytes(start)}", which is none of them`);
}
/**
 * Percent with 2 decimals, rounded DOWN: a gate must never report 100.00 for 99.999, nor pass a
 * threshold the code does not meet. Integer numerator first so exact ratios stay exact.
 */
function percentOf(covered, valid) {
    if (valid === 0)
        return 0;
    return Math.floor((covered * 10000) / valid) / 100;
}
function report(format, covered, valid, unit = 'lines') {
    if (covered > valid) {
        throw new CoverageFormatError(`${format} report says ${covered} ${unit} covered out of only ${valid}`);
    }
    return { format, unit, linesCovered: covered, linesValid: valid, percent: percentOf(covered, valid) };
}
/** A count as written in a report: a non-negative integer, or undefined if absent or malformed. */
function toCount(value) {
    if (typeof value === 'number')
        return Number.isInteger(value) && value >= 0 ? value : undefined;
    if (typeof value !== 'string' || !/^\d+$/.test(value.trim()))
        return undefined;
    return Number(value.trim());
}
/**
 * Feeds text to `onLine` one line at a time, across chunk boundaries, as (text, start, end): the
 * line is `text.slice(start, end)` without its line break, left unsliced so hot paths can read it
 * in place.
 */
class LineSplitter {
    onLine;
    rest = '';
    lineNo = 0;
    constructor(onLine) {
        this.onLine = onLine;
    }
    write(chunk) {
        const text = this.rest + chunk;
        let start = 0;
        for (let nl = text.indexOf('\n', start); nl !== -1; nl = text.indexOf('\n', start)) {
            const end = nl > start && text.charCodeAt(nl - 1) === 13 ? nl - 1 : nl;
            this.onLine(text, start, end, ++this.lineNo);
            start = nl + 1;
        }
        this.rest = text.slice(start);
    }
    end() {
        const last = this.rest.replace(/\r$/, '');
        if (last !== '')
            this.onLine(last, 0, last.length, ++this.lineNo);
        this.rest = '';
    }
}
// ---- lcov -------------------------------------------------------------------------------------
/**
 * Sums LH/LF over all `SF:`...`end_of_record` records. A record without LF/LH (some generators
 * omit them) is counted from its DA lines instead; a line listed twice counts once. Records are
 * not merged by file name: lcov tools merge before writing, and we report what the file says.
 */
class LcovSink {
    covered = 0;
    valid = 0;
    lf;
    lh;
    /** The record's DA lines as `line * 2 + (hit ? 1 : 0)`: cheaper than a Map on a 20 MB file. */
    da = [];
    inRecord = false;
    sawRecord = false;
    lines = new LineSplitter((text, start, end, n) => this.line(text, start, end, n));
    write(chunk) {
        this.lines.write(chunk);
    }
    end() {
        this.lines.end();
        this.flush();
        if (!this.sawRecord)
            throw new CoverageFormatError('lcov without any SF/LF/LH/DA record');
        return report('lcov', this.covered, this.valid);
    }
    flush() {
        if (!this.inRecord)
            return;
        if (this.lf !== undefined && this.lh !== undefined) {
            this.covered += this.lh;
            this.valid += this.lf;
        }
        else {
            // Only here do DA lines count: a line listed twice (two gcov runs) counts once, hit if any was.
            const lines = new Map();
            for (const v of this.da) {
                const n = Math.floor(v / 2);
                lines.set(n, (lines.get(n) ?? false) || v % 2 === 1);
            }
            for (const hit of lines.values())
                if (hit)
                    this.covered++;
            this.valid += lines.size;
        }
        this.lf = this.lh = undefined;
        this.da.length = 0;
        this.inRecord = false;
    }
    line(text, start, end, n) {
        // The hot path: DA:<line>,<hits>[,<checksum>] lines are most of a large lcov; read the digits
        // in place. Anything unusual (signs aside) goes the careful way below.
        if (text.charCodeAt(start) === 68 &&
            text.charCodeAt(start + 1) === 65 &&
            text.charCodeAt(start + 2) === 58) {
            let i = start + 3;
            let lineNo = 0;
            for (; i < end && i < start + 13; i++) {
                const c = text.charCodeAt(i);
                if (c < 48 || c > 57)
                    break;
                lineNo = lineNo * 10 + (c - 48);
            }
            if (i > start + 3 && text.charCodeAt(i) === 44) {
                const hitsStart = ++i;
                if (text.charCodeAt(i) === 45)
                    i++; // broken gcov data writes negative counts: not a hit
                let hits = 0;
                const digits = i;
                for (; i < end && i < digits + 15; i++) {
                    const c = text.charCodeAt(i);
                    if (c < 48 || c > 57)
                        break;
                    hits = hits * 10 + (c - 48);
                }
                if (i > digits && (i === end || text.charCodeAt(i) === 44)) {
                    this.inRecord = this.sawRecord = true;
                    this.da.push(lineNo * 2 + (hits > 0 && text.charCodeAt(hitsStart) !== 45 ? 1 : 0));
                    return;
                }
            }
        }
        const raw = text.slice(start, end);
        if (raw.startsWith('DA:')) {
            const comma = raw.indexOf(',', 3);
            const comma2 = comma === -1 ? -1 : raw.indexOf(',', comma + 1);
            const lineNo = comma === -1 ? NaN : Number(raw.slice(3, comma));
            const hitsText = comma === -1 ? '' : raw.slice(comma + 1, comma2 === -1 ? undefined : comma2);
            const hits = Number(hitsText);
            if (!Number.isInteger(lineNo) || lineNo < 0 || hitsText.trim() === '' || !Number.isFinite(hits))
                throw new CoverageFormatError(`lcov line ${n} has a malformed DA`);
            this.inRecord = this.sawRecord = true;
            this.da.push(lineNo * 2 + (hits > 0 ? 1 : 0));
            return;
        }
        const line = raw.trim();
        // An indented DA line: read it as one.
        if (line !== raw && line.startsWith('DA:'))
            return this.line(line, 0, line.length, n);
        const colon = line.indexOf(':');
        const tag = colon === -1 ? line : line.slice(0, colon);
        const value = colon === -1 ? '' : line.slice(colon + 1);
        switch (tag) {
            case 'SF':
                this.flush();
                this.inRecord = this.sawRecord = true;
                break;
            case 'end_of_record':
                this.flush();
                break;
            case 'LF':
            case 'LH': {
                const v = toCount(value);
                if (v === undefined)
                    throw new CoverageFormatError(`lcov line ${n} has a malformed ${tag}`);
                if (tag === 'LF')
                    this.lf = v;
                else
                    this.lh = v;
                this.inRecord = this.sawRecord = true;
                break;
            }
            default:
                // TN, FN, FNDA, FNF, FNH, BRDA, BRF, BRH, VER, blank lines: not line coverage. Anything
                // else means this is not lcov at all.
                if (line !== '' && !/^[A-Z]{2,4}$/.test(tag)) {
                    throw new CoverageFormatError(`line ${n} is not an lcov record: "${firstBytes(line)}"`);
                }
        }
    }
}
// ---- Go coverprofile --------------------------------------------------------------------------
/**
 * `mode: set|count|atomic`, then `file:l0.c0,l1.c1 statements count` per block. Profiles merged
 * by concatenation repeat blocks (and the mode line): a block counts once, covered if any copy
 * was hit, as `go tool cover` merges them. The figure is statements, as `go test -cover` prints.
 */
class GoSink {
    blocks = new Map();
    lines = new LineSplitter((text, start, end, n) => this.line(text.slice(start, end), n));
    write(chunk) {
        this.lines.write(chunk);
    }
    end() {
        this.lines.end();
        let covered = 0;
        let valid = 0;
        for (const b of this.blocks.values()) {
            valid += b.statements;
            if (b.hit)
                covered += b.statements;
        }
        return report('go-coverprofile', covered, valid, 'statements');
    }
    line(raw, n) {
        const line = raw.trim();
        if (line === '' || line.startsWith('mode:'))
            return;
        const space2 = line.lastIndexOf(' ');
        const space1 = line.lastIndexOf(' ', space2 - 1);
        const statements = toCount(line.slice(space1 + 1, space2));
        const count = toCount(line.slice(space2 + 1));
        const block = line.slice(0, space1);
        if (space1 <= 0 || statements === undefined || count === undefined || !/:\d+\.\d+,\d+\.\d+$/.test(block))
            throw new CoverageFormatError(`Go coverprofile line ${n} is not "file:line.col,line.col statements count"`);
        const known = this.blocks.get(block);
        if (known)
            known.hit ||= count > 0;
        else
            this.blocks.set(block, { statements, hit: count > 0 });
    }
}
// ---- XML: Cobertura, JaCoCo, Clover, OpenCover -------------------------------------------------
/** Reads the root element, then hands every event to the reader for that format. */
class XmlSink {
    format;
    reader;
    constructor() {
        const handlers = {
            open: (name, attrs, depth) => {
                if (depth === 0)
                    this.format = xmlFormatFor(name, attrs);
                this.format?.open(name, attrs, depth);
            },
            close: (name, depth) => this.format?.close?.(name, depth),
        };
        this.reader = new XmlReader(handlers);
    }
    write(chunk) {
        try {
            this.reader.write(chunk);
        }
        catch (err) {
            throw this.wrap(err);
        }
    }
    end() {
        try {
            this.reader.end();
        }
        catch (err) {
            throw this.wrap(err);
        }
        if (!this.format)
            throw new CoverageFormatError('XML without a root element');
        return this.format.result();
    }
    wrap(err) {
        if (err instanceof XmlSyntaxError) {
            const what = this.format ? `${this.format.name} XML` : 'XML';
            return new CoverageFormatError(`${what} is ${err.message.replace(/^malformed XML/, 'malformed')}`);
        }
        return err;
    }
}
function xmlFormatFor(root, attrs) {
    switch (root) {
        case 'coverage':
            // Clover's root is <coverage> too; it has a `clover` version attribute and a <project>.
            return 'clover' in attrs ? new CloverXml() : new CoberturaXml(attrs);
        case 'report':
            return new JacocoXml();
        case 'CoverageSession':
            return new OpenCoverXml();
        default:
            throw new CoverageFormatError(`XML whose root element is <${root}>${root === 'testsuites' || root === 'testsuite' ? ' (a JUnit test report: set it in junit-files)' : ''}`);
    }
}
/**
 * Cobertura (Java Cobertura, coverage.py, gcovr, istanbul, coverlet...). The totals on the root
 * when present; else `packages > package > classes > class > lines > line` counted ourselves
 * (lines under `class > methods` repeat the class's lines; a (file, line) pair in two classes,
 * as Java inner classes share a file, counts once); else the root's `line-rate`.
 */
class CoberturaXml {
    /** PHPUnit's Clover has a bare `<coverage>` root: its `<project>` child tells. */
    clover;
    get name() {
        return this.clover ? this.clover.name : 'Cobertura';
    }
    covered;
    valid;
    rate;
    file = '';
    hitsByLine = new Map();
    constructor(attrs) {
        this.covered = toCount(attrs['lines-covered']);
        this.valid = toCount(attrs['lines-valid']);
        const rate = attrs['line-rate'];
        const n = rate === undefined || rate.trim() === '' ? NaN : Number(rate);
        if (Number.isFinite(n) && n >= 0 && n <= 1)
            this.rate = n;
    }
    open(name, attrs, depth) {
        if (depth === 1 && name === 'project' && this.valid === undefined && this.rate === undefined)
            this.clover ??= new CloverXml();
        if (this.clover) {
            this.clover.open(name, attrs, depth);
            return;
        }
        // Once the root has the totals there is nothing to count.
        if (this.covered !== undefined && this.valid !== undefined)
            return;
        if (name === 'class' && depth === 4)
            this.file = attrs['filename'] ?? attrs['name'] ?? '';
        else if (name === 'line' && depth === 6) {
            const number = attrs['number'];
            const hits = Number(attrs['hits']);
            if (number === undefined || !Number.isFinite(hits))
                throw new CoverageFormatError(`Cobertura <line> in ${this.file || 'a class'} without number/hits`);
            const key = `${this.file}\0${number}`;
            this.hitsByLine.set(key, (this.hitsByLine.get(key) ?? false) || hits > 0);
        }
    }
    result() {
        if (this.clover)
            return this.clover.result();
        if (this.covered !== undefined && this.valid !== undefined)
            return report('cobertura', this.covered, this.valid);
        if (this.hitsByLine.size > 0) {
            let covered = 0;
            for (const hit of this.hitsByLine.values())
                if (hit)
                    covered++;
            return report('cobertura', covered, this.hitsByLine.size);
        }
        // Only a rate: trust it for the percent (already rounded by the tool, so round, not floor).
        if (this.rate !== undefined)
            return {
                format: 'cobertura',
                unit: 'lines',
                linesCovered: 0,
                linesValid: 0,
                percent: Math.round(this.rate * 10000) / 100,
            };
        throw new CoverageFormatError('<coverage> XML without lines-covered/lines-valid, <line> elements or line-rate');
    }
}
/** JaCoCo: the report's own `<counter type="LINE" missed covered>` (a direct child of `<report>`). */
class JacocoXml {
    name = 'JaCoCo';
    covered;
    missed;
    sawElements = false;
    open(name, attrs, depth) {
        if (depth === 1 && (name === 'package' || name === 'group'))
            this.sawElements = true;
        if (depth === 1 && name === 'counter' && attrs['type'] === 'LINE') {
            this.covered = toCount(attrs['covered']);
            this.missed = toCount(attrs['missed']);
            if (this.covered === undefined || this.missed === undefined)
                throw new CoverageFormatError('JaCoCo report-level LINE counter without covered/missed counts');
        }
    }
    result() {
        if (this.covered !== undefined && this.missed !== undefined)
            return report('jacoco', this.covered, this.covered + this.missed);
        if (this.sawElements)
            throw new CoverageFormatError('JaCoCo XML without a report-level LINE counter');
        return report('jacoco', 0, 0); // an empty report: nothing measured
    }
}
/**
 * Clover (OpenClover, PHPUnit, istanbul): `<project><metrics statements coveredstatements>`.
 * Clover counts statements; istanbul's clover writer puts its line counts there.
 */
class CloverXml {
    name = 'Clover';
    covered;
    valid;
    open(name, attrs, depth) {
        if (depth === 2 && name === 'metrics' && this.valid === undefined) {
            this.valid = toCount(attrs['statements']);
            this.covered = toCount(attrs['coveredstatements']);
            if (this.valid === undefined || this.covered === undefined)
                throw new CoverageFormatError('Clover project <metrics> without statements/coveredstatements');
        }
    }
    result() {
        if (this.valid === undefined || this.covered === undefined)
            throw new CoverageFormatError('Clover XML without project <metrics>');
        return report('clover', this.covered, this.valid, 'statements');
    }
}
/** OpenCover (and coverlet, AltCover in OpenCover mode): the session `<Summary>`'s sequence points. */
class OpenCoverXml {
    name = 'OpenCover';
    covered;
    valid;
    open(name, attrs, depth) {
        if (depth === 1 && name === 'Summary') {
            this.valid = toCount(attrs['numSequencePoints']);
            this.covered = toCount(attrs['visitedSequencePoints']);
            if (this.valid === undefined || this.covered === undefined)
                throw new CoverageFormatError('OpenCover <Summary> without numSequencePoints/visitedSequencePoints');
        }
    }
    result() {
        if (this.valid === undefined || this.covered === undefined)
            throw new CoverageFormatError('OpenCover XML without a session <Summary>');
        return report('opencover', this.covered, this.valid, 'statements');
    }
}
// ---- JSON: Istanbul summary and final, SimpleCov -----------------------------------------------
class JsonSink {
    parts = [];
    write(chunk) {
        this.parts.push(chunk);
    }
    end() {
        let json;
        try {
            json = JSON.parse(this.parts.join(''));
        }
        catch (err) {
            throw new CoverageFormatError(`looks like JSON but does not parse (${err.message})`);
        }
        if (!isObject(json))
            throw new CoverageFormatError('JSON that is not an object');
        const lines = field(field(json, 'total'), 'lines');
        if (lines !== undefined)
            return istanbulSummary(lines);
        const values = Object.values(json);
        if (values.length > 0 && values.every((v) => isObject(v) && isObject(field(v, 'coverage'))))
            return simpleCov(values);
        if (values.length > 0 &&
            values.every((v) => isObject(v) && isObject(field(v, 'statementMap') ?? field(field(v, 'data'), 'statementMap'))))
            return istanbulFinal(values);
        if (values.length === 0)
            throw new CoverageFormatError('an empty JSON object');
        throw new CoverageFormatError(`JSON with keys ${Object.keys(json)
            .slice(0, 3)
            .map((k) => `"${firstBytes(k, 40)}"`)
            .join(', ')}, neither total.lines (coverage-summary.json), per-file statementMap (coverage-final.json) nor per-suite coverage (.resultset.json)`);
    }
}
function istanbulSummary(lines) {
    const covered = toCount(field(lines, 'covered'));
    const total = toCount(field(lines, 'total'));
    if (covered === undefined || total === undefined)
        throw new CoverageFormatError('coverage-summary.json without total.lines.covered/total.lines.total');
    return report('istanbul-summary', covered, total);
}
/**
 * coverage-final.json: per file, statements with a location and a hit count. Istanbul's own line
 * figure: a line is the start line of one or more statements, covered if any of them ran.
 */
function istanbulFinal(files) {
    let covered = 0;
    let valid = 0;
    for (const raw of files) {
        const f = field(raw, 'statementMap') ? raw : field(raw, 'data');
        const map = field(f, 'statementMap');
        const hits = field(f, 's');
        if (!isObject(map) || !isObject(hits))
            throw new CoverageFormatError('coverage-final.json file entry without statementMap and s');
        const lines = new Map();
        for (const [id, loc] of Object.entries(map)) {
            const line = field(field(loc, 'start'), 'line');
            const n = field(hits, id);
            if (typeof line !== 'number' || typeof n !== 'number')
                throw new CoverageFormatError(`coverage-final.json statement ${id} without start.line or a count`);
            lines.set(line, (lines.get(line) ?? false) || n > 0);
        }
        valid += lines.size;
        for (const hit of lines.values())
            if (hit)
                covered++;
    }
    return report('istanbul-final', covered, valid);
}
/**
 * .resultset.json: `{ "<command>": { "coverage": { "<file>": { "lines": [...] } | [...] } } }`;
 * `null` is not code, 0 not run, n run n times; several commands (RSpec, Minitest) are merged per
 * file and line, as SimpleCov does.
 */
function simpleCov(suites) {
    const files = new Map();
    for (const suite of suites) {
        for (const [file, entry] of Object.entries(field(suite, 'coverage'))) {
            const lines = Array.isArray(entry) ? entry : field(entry, 'lines');
            if (!Array.isArray(lines))
                throw new CoverageFormatError(`.resultset.json entry for ${file} without a lines array`);
            const merged = files.get(file) ?? [];
            lines.forEach((v, i) => {
                if (typeof v !== 'number')
                    return; // null: not code; "ignored": excluded by :nocov:
                merged[i] = Math.max(merged[i] ?? 0, v);
            });
            files.set(file, merged);
        }
    }
    let covered = 0;
    let valid = 0;
    for (const lines of files.values()) {
        for (const v of lines) {
            if (typeof v !== 'number')
                continue;
            valid++;
            if (v > 0)
                covered++;
        }
    }
    return report('simplecov', covered, valid);
}
function isObject(v) {
    return typeof v === 'object' && v !== null && !Array.isArray(v);
}
function field(obj, key) {
    return isObject(obj) ? obj[key] : undefined;
}

;// CONCATENATED MODULE: ../gate/junit.ts
/**
 * Reads JUnit XML reports as strictly as the strictest readers do, streaming (a 50 MB report is
 * never held whole):
 *
 * - a `<testsuites>` or bare `<testsuite>` root, suites nested to any depth;
 * - `<failure>`/`<error>` directly under a `<testsuite>` (a class that failed to initialise, as Ant
 *   writes it) is a failed entry named after the suite, even when the suite has no `<testcase>`;
 * - a testcase with `<failure>` or `<error>` is failed (even with `<skipped>`); with only
 *   `<skipped>`, or `status="disabled"`/`"skipped"`, it is skipped;
 * - reruns: Surefire's `<flakyFailure>`/`<flakyError>` (failed, then passed) make a test flaky,
 *   its `<rerunFailure>`/`<rerunError>` (failed every time) keep it failed; the same
 *   classname+name repeated in one suite (gotestsum `--rerun-fails`, pytest-rerunfailures) are
 *   attempts of one test, and the last one decides: flaky when it passed after a failed or repeated
 *   attempt, failed when it failed. Flaky tests do not block the gate;
 * - each suite's own `tests`/`failures`/`errors`/`skipped` are reconciled with what it holds; a
 *   suite that declares more failures than it shows may hide one, and blocks the gate.
 */


/** The file is not JUnit XML we can read. The message is one line and names the file. */
class JUnitFormatError extends Error {
    reportFile;
    constructor(reportFile, reason) {
        super(`${reportFile}: not a readable JUnit XML report: ${reason}.`);
        this.reportFile = reportFile;
        this.name = 'JUnitFormatError';
    }
}
const DETAILS_MAX_BYTES = 4096;
/** Text kept per failure element while reading; beyond it, the rest is dropped unread. */
const TEXT_MAX_CHARS = 8192;
const TRUNCATED = '\n… (truncated)';
/** Mismatch notes kept per report: a generator that gets every count wrong says so once. */
const MAX_MISMATCHES = 20;
/** Reads one JUnit report held in memory. Throws `JUnitFormatError`. */
function parseJUnit(xml, sourceFile) {
    const reader = new JUnitReader(sourceFile);
    try {
        readXmlString(xml, reader);
    }
    catch (err) {
        throw formatError(err, sourceFile, xml);
    }
    return reader.result();
}
/** Streams one JUnit report from disk; `sourceFile` is the name shown to people. */
async function readJUnitFile(file, sourceFile) {
    const reader = new JUnitReader(sourceFile);
    try {
        await readXmlFile(file, reader);
    }
    catch (err) {
        throw formatError(err, sourceFile, undefined, file);
    }
    return reader.result();
}
function formatError(err, sourceFile, text, file) {
    if (err instanceof JUnitFormatError)
        return err;
    if (err instanceof XmlSyntaxError) {
        if (err.reason === 'the file is empty')
            return new JUnitFormatError(sourceFile, 'the file is empty');
        // At the very start, what the file holds says more than the parser's complaint.
        const head = err.line === 1 ? headOf(text, file) : '';
        return new JUnitFormatError(sourceFile, `${err.message}${head ? ` (the file starts with "${head}")` : ''}`);
    }
    if (err?.code)
        return new JUnitFormatError(sourceFile, `cannot read it (${err.message})`);
    return err;
}
function headOf(text, file) {
    if (text !== undefined)
        return firstBytes(text);
    if (file === undefined)
        return '';
    try {
        const fd = external_node_fs_default().openSync(file, 'r');
        const buf = Buffer.alloc(256);
        const n = external_node_fs_default().readSync(fd, buf, 0, 256, 0);
        external_node_fs_default().closeSync(fd);
        return firstBytes(buf.subarray(0, n).toString('utf8'));
    }
    catch {
        return '';
    }
}
/** Sums reports from several files; failures keep their order and their `reportFile`. */
function mergeReports(reports) {
    const merged = emptyReport();
    for (const r of reports) {
        merged.total += r.total;
        merged.failed += r.failed;
        merged.skipped += r.skipped;
        merged.flaky += r.flaky;
        merged.failures.push(...r.failures);
        merged.flakyTests.push(...r.flakyTests);
        merged.mismatches.push(...r.mismatches);
    }
    return merged;
}
function emptyReport() {
    return { total: 0, failed: 0, skipped: 0, flaky: 0, failures: [], flakyTests: [], mismatches: [] };
}
const zero = () => ({ rawTests: 0, rawFailing: 0, rawSkipped: 0, tests: 0, failing: 0, skipped: 0 });
class JUnitReader {
    reportFile;
    out = emptyReport();
    suites = [];
    testcase;
    /** The element whose text we keep (a failure's stack trace), and its depth. */
    capture;
    order = 0;
    mismatchesDropped = 0;
    constructor(reportFile) {
        this.reportFile = reportFile;
    }
    result() {
        if (this.mismatchesDropped > 0) {
            this.out.mismatches.push({
                reportFile: this.reportFile,
                suite: '',
                line: 0,
                message: `…and ${this.mismatchesDropped} more suites whose counts disagree`,
                blocking: this.out.mismatches.some((m) => m.blocking),
            });
        }
        return this.out;
    }
    open(name, attrs, depth, line) {
        if (depth === 0 && name !== 'testsuites' && name !== 'testsuite') {
            throw new JUnitFormatError(this.reportFile, `root element is <${name}>, expected <testsuites> or <testsuite>`);
        }
        const tc = this.testcase;
        if (tc) {
            this.openInCase(tc, name, attrs, depth);
            return;
        }
        if (name === 'testsuite' || name === 'testsuites') {
            const parent = this.suites[this.suites.length - 1];
            this.suites.push({
                name: val(attrs['name']),
                file: val(attrs['file']) ?? parent?.file,
                suiteName: val(attrs['name']) ?? parent?.suiteName,
                line,
                declared: {
                    tests: count(attrs['tests']),
                    failures: count(attrs['failures']),
                    errors: count(attrs['errors']),
                    // tst and googletest count disabled tests apart from skipped ones; we count both as skipped.
                    skipped: sumDefined(count(attrs['skipped']), count(attrs['disabled'])),
                },
                direct: zero(),
                subtree: zero(),
                tests: new Map(),
            });
            return;
        }
        const suite = this.suites[this.suites.length - 1];
        if (!suite)
            return;
        if (name === 'testcase') {
            const status = val(attrs['status'])?.toLowerCase();
            this.testcase = {
                name: val(attrs['name']),
                classname: val(attrs['classname']) ?? val(attrs['class']),
                file: val(attrs['file']) ?? suite.file,
                line: lineOf(attrs['line'], suite.suiteName),
                skipped: status === 'disabled' || status === 'skipped' || status === 'notrun',
                problems: [],
                flakyAttempts: 0,
            };
        }
        else if ((name === 'failure' || name === 'error') && !suite.suiteProblem) {
            // Directly under the suite: the suite itself failed (setup, initialisation).
            suite.suiteProblem = { kind: name, message: val(attrs['message']), type: val(attrs['type']), text: '' };
            this.capture = { problem: suite.suiteProblem, depth };
        }
    }
    openInCase(tc, name, attrs, depth) {
        switch (name) {
            case 'failure':
            case 'error': {
                const problem = {
                    kind: name,
                    message: val(attrs['message']),
                    type: val(attrs['type']),
                    text: '',
                };
                tc.problems.push(problem);
                this.capture ??= { problem, depth };
                break;
            }
            case 'skipped':
                tc.skipped = true;
                break;
            case 'flakyFailure':
            case 'flakyError':
                tc.flakyAttempts++;
                tc.flakyMessage ??= firstLine(val(attrs['message'])) ?? val(attrs['type']);
                break;
            // rerunFailure/rerunError repeat a <failure>/<error> that is already there: still failed.
        }
    }
    text(t) {
        const c = this.capture;
        if (c && c.problem.text.length < TEXT_MAX_CHARS)
            c.problem.text += t;
    }
    close(name, depth) {
        if (this.capture && this.capture.depth === depth)
            this.capture = undefined;
        if (this.testcase) {
            if (name === 'testcase') {
                this.endCase(this.testcase);
                this.testcase = undefined;
            }
            return;
        }
        if (name === 'testsuite' || name === 'testsuites') {
            const suite = this.suites.pop();
            if (suite)
                this.endSuite(suite);
        }
    }
    endCase(tc) {
        const suite = this.suites[this.suites.length - 1];
        const failed = tc.problems.length > 0;
        suite.direct.rawTests++;
        if (failed)
            suite.direct.rawFailing++;
        else if (tc.skipped)
            suite.direct.rawSkipped++;
        // pytest and Surefire write "" as the name of a class-level failure: the class names it.
        const name = tc.name ?? tc.classname ?? suite.name ?? '(unnamed test)';
        // Keyed by name alone (no string to build per test); a same name in another class is rare and
        // gets the longer key.
        let key = name;
        let a = suite.tests.get(key);
        if (a && a.classname !== tc.classname) {
            key = `${tc.classname ?? ''}\u0000${name}`;
            a = suite.tests.get(key);
        }
        if (!a) {
            // Every field set here, so all attempts share one shape.
            a = {
                outcome: 'passed',
                failure: undefined,
                failedBefore: 0,
                firstFailureMessage: undefined,
                attempts: 0,
                order: this.order++,
                name,
                classname: tc.classname,
                file: undefined,
                line: undefined,
            };
            suite.tests.set(key, a);
        }
        // The attempt before this one, if it failed, counts as a failed attempt of a flaky test.
        if (a.attempts > 0 && a.outcome === 'failed') {
            a.failedBefore++;
            a.firstFailureMessage ??= a.failure?.message;
        }
        a.attempts++;
        if (tc.file !== undefined)
            a.file = tc.file;
        if (tc.line !== undefined)
            a.line = tc.line;
        a.failure = undefined;
        if (failed) {
            a.outcome = 'failed';
            a.failure = this.failureOf(name, tc.classname, tc.file, tc.line, tc.problems);
        }
        else if (tc.skipped) {
            a.outcome = 'skipped';
        }
        else if (tc.flakyAttempts > 0 || a.attempts > 1) {
            a.outcome = 'flaky';
            a.failedBefore += tc.flakyAttempts;
            a.firstFailureMessage ??= tc.flakyMessage;
        }
        else {
            a.outcome = 'passed';
        }
    }
    endSuite(suite) {
        const d = suite.direct;
        if (suite.suiteProblem) {
            const p = suite.suiteProblem;
            const name = suite.name ?? '(unnamed suite)';
            d.rawTests++;
            d.rawFailing++;
            d.tests++;
            d.failing++;
            this.out.total++;
            this.out.failed++;
            this.out.failures.push(this.failureOf(name, undefined, suite.file, undefined, [p]));
        }
        const ordered = [...suite.tests.values()].sort((x, y) => x.order - y.order);
        for (const a of ordered) {
            d.tests++;
            this.out.total++;
            if (a.outcome === 'failed') {
                d.failing++;
                this.out.failed++;
                if (a.failure)
                    this.out.failures.push(a.failure);
            }
            else if (a.outcome === 'skipped') {
                d.skipped++;
                this.out.skipped++;
            }
            else if (a.outcome === 'flaky') {
                this.out.flaky++;
                const f = {
                    name: a.name,
                    failedAttempts: Math.max(1, a.failedBefore),
                    message: a.firstFailureMessage ?? 'failed, then passed on a rerun',
                    reportFile: this.reportFile,
                };
                if (a.classname !== undefined)
                    f.classname = a.classname;
                if (a.file !== undefined)
                    f.file = a.file;
                if (a.line !== undefined)
                    f.line = a.line;
                this.out.flakyTests.push(f);
            }
        }
        const s = suite.subtree;
        for (const k of Object.keys(s))
            s[k] += d[k];
        this.reconcile(suite);
        const parent = this.suites[this.suites.length - 1];
        if (parent)
            for (const k of Object.keys(s))
                parent.subtree[k] += s[k];
    }
    /**
     * A suite's declared counts must match what it holds, counted one of the ways real tools count:
     * its own test cases or its whole subtree, each attempt or each distinct test.
     */
    reconcile(suite) {
        const { tests, failures, errors, skipped } = suite.declared;
        const views = [suite.direct, suite.subtree];
        const fits = (declared, pick) => declared === undefined || views.some((v) => pick(v).includes(declared));
        const problems = [];
        let blocking = false;
        if (failures !== undefined || errors !== undefined) {
            const declared = (failures ?? 0) + (errors ?? 0);
            const found = Math.max(...views.flatMap((v) => [v.rawFailing, v.failing]));
            if (declared > found) {
                blocking = true;
                problems.push(`declares ${declared} failures and errors but holds ${found} failed test(s): a failure may be hidden`);
            }
            else if (!fits(declared, (v) => [v.rawFailing, v.failing])) {
                problems.push(`declares ${declared} failures and errors but holds ${suite.subtree.failing} failed test(s)`);
            }
        }
        if (!fits(tests, (v) => [v.rawTests, v.tests]))
            problems.push(`declares ${tests} tests but holds ${suite.subtree.rawTests} test case(s)`);
        if (!fits(skipped, (v) => [v.rawSkipped, v.skipped]))
            problems.push(`declares ${skipped} skipped but holds ${suite.subtree.skipped} skipped test(s)`);
        if (problems.length === 0)
            return;
        const label = suite.name ?? '(unnamed suite)';
        const kept = this.out.mismatches.length < MAX_MISMATCHES;
        // A blocking mismatch is always kept, so the summary can name it.
        if (!kept && !blocking) {
            this.mismatchesDropped++;
            return;
        }
        this.out.mismatches.push({
            reportFile: this.reportFile,
            suite: label,
            line: suite.line,
            message: `suite "${label}" ${problems.join('; ')}`,
            blocking,
        });
    }
    failureOf(name, classname, file, line, problems) {
        const texts = problems.map((p) => p.text.trim()).filter((t) => t !== '');
        const first = problems[0];
        const message = firstLine(first.message) ??
            firstLine(texts[0]) ??
            first.type ??
            (first.kind === 'failure' ? 'Test failed' : 'Test errored');
        const failure = { name, message, reportFile: this.reportFile };
        if (classname !== undefined)
            failure.classname = classname;
        if (file !== undefined)
            failure.file = file;
        if (line !== undefined)
            failure.line = line;
        // A failure in the test and an error in its teardown both matter: keep both texts.
        if (texts.length > 0)
            failure.details = truncateUtf8(texts.join('\n\n'), DETAILS_MAX_BYTES);
        return failure;
    }
}
/**
 * The testcase's `line`, 1-based. pytest (junit_family=xunit1) writes its 0-based location, so
 * under pytest's default suite name we add one; everyone else already writes 1-based lines.
 */
function lineOf(raw, suiteName) {
    if (raw === undefined)
        return undefined;
    const t = raw.trim();
    // Digits only (a cheap loop: this runs once per test case).
    if (t.length === 0 || t.length > 9)
        return undefined;
    for (let i = 0; i < t.length; i++) {
        const c = t.charCodeAt(i);
        if (c < 48 || c > 57)
            return undefined;
    }
    const n = Number(t) + (suiteName === 'pytest' ? 1 : 0);
    return n >= 1 ? n : undefined;
}
/** A non-empty, trimmed attribute value. */
function val(v) {
    if (v === undefined)
        return undefined;
    const t = v.trim();
    return t === '' ? undefined : t;
}
function count(v) {
    return v !== undefined && /^\s*\d+\s*$/.test(v) ? Number(v) : undefined;
}
function sumDefined(a, b) {
    return a === undefined && b === undefined ? undefined : (a ?? 0) + (b ?? 0);
}
function firstLine(s) {
    return s
        ?.split('\n')
        .find((l) => l.trim() !== '')
        ?.trim();
}
/** Cuts `s` to at most `max` UTF-8 bytes, marker included, without splitting a character. */
function truncateUtf8(s, max) {
    if (Buffer.byteLength(s, 'utf8') <= max)
        return s;
    const budget = max - Buffer.byteLength(TRUNCATED, 'utf8');
    let out = '';
    let used = 0;
    for (const ch of s) {
        const size = Buffer.byteLength(ch, 'utf8');
        if (used + size > budget)
            break;
        out += ch;
        used += size;
    }
    return out + TRUNCATED;
}

;// CONCATENATED MODULE: ../gate/quarantine.ts
/**
 * Splits failures into those that block the gate and those on the quarantine list (known-flaky
 * tests that are reported but do not block).
 *
 * An entry matches a failure when, after trimming both sides, it equals exactly (case-sensitive,
 * no globs, so an entry can never quarantine more than the author meant) one of:
 *   - `name`                       jest-junit already puts "describe title" in name
 *   - `classname + ' ' + name`
 *   - `classname + '.' + name`     JUnit/surefire and pytest style: com.acme.FooTest.testBar
 *   - `classname + ' › ' + name`   how jest prints a test in its console output
 * Blank entries are ignored.
 */
function applyQuarantine(failures, quarantine) {
    const entries = new Set(quarantine.map((e) => e.trim()).filter((e) => e !== ''));
    const blocking = [];
    const quarantined = [];
    for (const f of failures) {
        const matched = idsOf(f).some((id) => entries.has(id));
        (matched ? quarantined : blocking).push(f);
    }
    return { blocking, quarantined };
}
/** The names a quarantine entry may use for this failure. */
function idsOf(f) {
    const name = f.name.trim();
    const cls = f.classname?.trim();
    if (!cls)
        return [name];
    return [name, `${cls} ${name}`, `${cls}.${name}`, `${cls} › ${name}`];
}

// EXTERNAL MODULE: ../../node_modules/minimatch/dist/esm/index.js + 8 modules
var esm = __webpack_require__(8662);
;// CONCATENATED MODULE: ../util/glob.ts



// Never worth walking for report files, and huge.
const SKIP_DIRS = new Set(['node_modules', '.git']);
/** Files under `root` matching any of the globs (relative to root, or absolute), sorted. */
function globFiles(root, patterns) {
    const rel = patterns.map((p) => (external_node_path_default().isAbsolute(p) ? external_node_path_default().relative(root, p) : p).replace(/^\.\//, ''));
    const found = [];
    const walk = (dir) => {
        for (const entry of external_node_fs_default().readdirSync(dir, { withFileTypes: true })) {
            const full = external_node_path_default().join(dir, entry.name);
            if (entry.isDirectory()) {
                if (!SKIP_DIRS.has(entry.name))
                    walk(full);
            }
            else if (entry.isFile()) {
                const r = external_node_path_default().relative(root, full).split((external_node_path_default()).sep).join('/');
                if (rel.some((p) => (0,esm.minimatch)(r, p, { dot: true })))
                    found.push(full);
            }
        }
    };
    walk(root);
    return found.sort();
}

// EXTERNAL MODULE: ../util/shell.ts
var shell = __webpack_require__(1162);
;// CONCATENATED MODULE: ../stages/gate.ts








/**
 * GitHub shows at most 10 error and 10 warning (and 10 notice) annotations per step; more are
 * dropped silently. The gate asks for no more than that (its annotations are written first), so
 * the summary can say which exist.
 */
const ANNOTATIONS_PER_LEVEL = types/* ANNOTATION_CAP */.J;
/** Failures printed one a line in the gate log (the summary lists fewer). */
const MAX_LOGGED_FAILURES = 5000;
/** Lint, then tests, then reports: the cheapest check that can fail goes first. */
async function runGate(gate, workDir, log) {
    if (!gate.lintCommand && !gate.testCommand && !gate.coverageFile && gate.junitFiles.length === 0) {
        return {
            status: 'skipped',
            detail: 'nothing to check: set lint-command, test-command, coverage-file or junit-files',
            annotations: [],
        };
    }
    if (gate.lintCommand) {
        log.info('Running lint-command…');
        const lint = await (0,shell/* runShell */.E)(gate.lintCommand, { cwd: workDir });
        if (lint.exitCode !== 0) {
            return {
                status: 'failed',
                detail: `lint-command exited with code ${lint.exitCode}; tests did not run`,
                hint: 'Fix the lint errors (last lines below, full output in the gate log), or run the lint command locally.',
                outputTail: { command: 'lint-command', exitCode: lint.exitCode, lines: lint.tail },
                annotations: [],
            };
        }
    }
    let testExit = 0;
    let testTail = [];
    if (gate.testCommand) {
        log.info('Running test-command…');
        const test = await (0,shell/* runShell */.E)(gate.testCommand, { cwd: workDir });
        testExit = test.exitCode;
        testTail = test.tail;
    }
    const result = { status: 'passed', detail: '', annotations: [] };
    const problems = [];
    if (gate.junitFiles.length > 0) {
        const tests = await readTests(gate, workDir);
        result.tests = tests;
        result.annotations.push(...testAnnotations(tests));
        if (tests.blocking.length > 0)
            problems.push(`${tests.blocking.length} of ${tests.total} tests failed`);
        const hidden = tests.mismatches.filter((m) => m.blocking);
        if (hidden.length > 0)
            problems.push(`${hidden.length} test suite(s) declare more failures than they show (${hidden[0]?.reportFile}: ${hidden[0]?.message})`);
        log.info(`Tests: ${tests.total} run, ${tests.failed} failed (${tests.quarantined.length} quarantined), ${tests.flaky} flaky (passed on a rerun), ${tests.skipped} skipped.`);
        logFailures(log, tests);
    }
    // A non-zero exit is excused only when the reports explain it entirely by quarantined tests.
    const excused = testExit !== 0 &&
        result.tests !== undefined &&
        result.tests.failed > 0 &&
        result.tests.blocking.length === 0;
    if (testExit !== 0 && !excused) {
        problems.unshift(`test-command exited with code ${testExit}`);
        result.outputTail = { command: 'test-command', exitCode: testExit, lines: testTail };
    }
    if (gate.coverageFile) {
        const read = await readCoverage(gate.coverageFile, workDir, gate.coverageThreshold !== undefined);
        if ('problem' in read) {
            result.coverageProblem = read.problem;
            result.annotations.push({ level: 'warning', title: 'Coverage not read', message: read.problem });
            log.info(`Coverage not read (no coverage-threshold, so not blocking): ${read.problem}`);
        }
        else {
            const coverage = read.coverage;
            result.coverage = { ...coverage, threshold: gate.coverageThreshold };
            log.info(`${coverage.unit === 'lines' ? 'Line' : 'Statement'} coverage: ${coverage.percent}% (${coverage.linesCovered}/${coverage.linesValid} ${coverage.unit}, ${coverage.format}).`);
            if (gate.coverageThreshold !== undefined && coverage.percent < gate.coverageThreshold) {
                problems.push(`${coverage.unit === 'lines' ? 'line' : 'statement'} coverage ${coverage.percent}% is below coverage-threshold ${gate.coverageThreshold}%`);
            }
        }
    }
    if (problems.length > 0) {
        result.status = 'failed';
        result.detail = problems.join('; ');
        result.hint = 'Fix the failing checks shown in the summary and the gate log, then push again.';
    }
    else {
        const t = result.tests;
        const tests = excused && t ? `tests passed except ${t.quarantined.length} quarantined` : 'tests passed';
        const parts = [gate.lintCommand && 'lint passed', gate.testCommand && tests];
        if (t && t.flaky > 0)
            parts.push(`${t.flaky} flaky (passed on a rerun)`);
        if (result.coverage)
            parts.push(`coverage ${result.coverage.percent}%`);
        if (result.coverageProblem)
            parts.push('coverage not read (see the summary)');
        result.detail = parts.filter(Boolean).join(', ') || 'reports read';
    }
    return result;
}
async function readTests(gate, workDir) {
    const files = globFiles(workDir, gate.junitFiles);
    if (files.length === 0) {
        throw new Error(`junit-files matched no file (${gate.junitFiles.join(', ')} under ${workDir}); did the test command write its report there?`);
    }
    // One file at a time: a 50 MB report is streamed, and two at once would only compete.
    const reports = [];
    for (const f of files)
        reports.push(await readJUnitFile(f, external_node_path_default().relative(workDir, f)));
    const report = mergeReports(reports);
    const { blocking, quarantined } = applyQuarantine(report.failures, gate.quarantine);
    const { total, failed, skipped, flaky, flakyTests, mismatches } = report;
    return {
        ...{ total, failed, skipped, flaky, flakyTests, mismatches },
        blocking,
        quarantined,
        annotated: { blocking: 0, quarantined: 0, flaky: 0 },
    };
}
/**
 * The first failures as annotations, within GitHub's per-level cap: errors for blocking failures
 * (a suite hiding a failure first), warnings for suites whose counts disagree and for quarantined
 * failures, notices for flaky tests. Records in `tests.annotated` how many of each were written.
 */
function testAnnotations(tests) {
    const errors = [];
    const warnings = [];
    const notices = [];
    const room = (list) => list.length < ANNOTATIONS_PER_LEVEL;
    for (const m of tests.mismatches) {
        const list = m.blocking ? errors : warnings;
        if (room(list))
            list.push({
                level: m.blocking ? 'error' : 'warning',
                title: m.blocking ? 'Test report may hide a failure' : 'Test report counts disagree',
                message: `${m.reportFile}${m.line ? ` line ${m.line}` : ''}: ${m.message}`,
            });
    }
    for (const f of tests.blocking) {
        if (!room(errors))
            break;
        errors.push(failureAnnotation('error', 'Test failed', f));
        tests.annotated.blocking++;
    }
    for (const f of tests.quarantined) {
        if (!room(warnings))
            break;
        warnings.push(failureAnnotation('warning', 'Quarantined test failed', f));
        tests.annotated.quarantined++;
    }
    for (const f of tests.flakyTests) {
        if (!room(notices))
            break;
        notices.push({
            level: 'notice',
            title: `Flaky test (passed on a rerun): ${f.name}`,
            message: `failed ${f.failedAttempts} time(s) before passing: ${f.message}`,
            file: f.file,
            line: f.line,
        });
        tests.annotated.flaky++;
    }
    return [...errors, ...warnings, ...notices];
}
function failureAnnotation(level, what, f) {
    return { level, title: `${what}: ${f.name}`, message: f.message || 'failed', file: f.file, line: f.line };
}
/** Every failure, one line each, so the log holds what the summary and annotations cannot. */
function logFailures(log, tests) {
    const lines = [
        ...tests.blocking.map((f) => `FAILED ${label(f)}: ${f.message}`),
        ...tests.quarantined.map((f) => `QUARANTINED ${label(f)}: ${f.message}`),
        ...tests.flakyTests.map((f) => `FLAKY ${f.classname ? `${f.classname} › ` : ''}${f.name}: ${f.message}`),
        ...tests.mismatches.map((m) => `${m.blocking ? 'HIDDEN FAILURE?' : 'COUNTS'} ${m.reportFile}: ${m.message}`),
    ];
    for (const l of lines.slice(0, MAX_LOGGED_FAILURES))
        log.info(l);
    if (lines.length > MAX_LOGGED_FAILURES)
        log.info(`…and ${lines.length - MAX_LOGGED_FAILURES} more; open the JUnit reports for the rest.`);
}
function label(f) {
    const where = f.file ? ` (${f.file}${f.line ? `:${f.line}` : ''})` : ` (${f.reportFile})`;
    return `${f.classname ? `${f.classname} › ` : ''}${f.name}${where}`;
}
/**
 * With a threshold, a coverage file that is missing or unreadable fails the gate (the threshold
 * cannot be checked); without one, coverage is informational and the problem is a warning.
 */
async function readCoverage(file, workDir, required) {
    const full = external_node_path_default().resolve(workDir, file);
    let problem;
    if (!external_node_fs_default().existsSync(full)) {
        problem = `coverage-file ${file} does not exist (looked for ${full}); did the test command write it?`;
    }
    else {
        try {
            return { coverage: await readCoverageFile(full) };
        }
        catch (err) {
            if (!(err instanceof CoverageFormatError))
                throw err;
            problem = `coverage-file ${file}: ${err.message}`;
        }
    }
    if (required)
        throw new Error(`${problem} (coverage-threshold needs it)`);
    return { problem };
}


/***/ }),

/***/ 1162:
/***/ ((__unused_webpack_module, __webpack_exports__, __webpack_require__) => {

/* harmony export */ __webpack_require__.d(__webpack_exports__, {
/* harmony export */   E: () => (/* binding */ runShell)
/* harmony export */ });
/* harmony import */ var _actions_exec__WEBPACK_IMPORTED_MODULE_0__ = __webpack_require__(3032);

/**
 * Runs a user command the way a workflow `run:` step does (bash, errexit + pipefail), streaming its
 * output to the log. Values reach the command only through `env`, never spliced into its text.
 */
async function runShell(command, opts) {
    const tail = [];
    const keep = opts.tailLines ?? 30;
    const remember = (line) => {
        tail.push(line);
        if (tail.length > keep)
            tail.shift();
    };
    const exitCode = await (0,_actions_exec__WEBPACK_IMPORTED_MODULE_0__/* .exec */ .m)('bash', ['--noprofile', '--norc', '-eo', 'pipefail', '-c', command], {
        cwd: opts.cwd,
        env: { ...process.env, ...opts.env },
        ignoreReturnCode: true,
        listeners: { stdline: remember, errline: remember },
    });
    return { exitCode, tail };
}


/***/ })

};
;