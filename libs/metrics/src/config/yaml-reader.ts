import { isAlias, isMap, isScalar, isSeq, LineCounter, parseDocument, visit } from 'yaml';
import type { Document, Node, Scalar, YAMLMap, YAMLSeq } from 'yaml';
import { ConfigError } from './config-error';
import { scanStaticMaps, STATIC_MAP_PLACEHOLDER, type Cut, type ScannedText } from './static-map-scanner';
import type { SourcePosition } from './types';

// Upstream reads configs with Go's gopkg.in/yaml.v2, which types a plain scalar by YAML 1.1 rules as it is
// decoded into a field: `010` is octal 8, `0x10` 16, `0b10` 2, `1_000` 1000, `yes`/`on`/`y` are true. Its
// resolver is reproduced here rather than taken from the yaml package's 1.1 schema, which differs from it
// (`1e-6` is a string there and a float in yaml.v2, `1:30` sexagesimal there and a string in yaml.v2).

const MAX_MERGE_DEPTH = 32;

const YAML_V2_BOOLEANS = new Map<string, boolean>([
  ...['y', 'Y', 'yes', 'Yes', 'YES', 'on', 'On', 'ON', 'true', 'True', 'TRUE'].map((text): [string, boolean] => [text, true]),
  ...['n', 'N', 'no', 'No', 'NO', 'off', 'Off', 'OFF', 'false', 'False', 'FALSE'].map((text): [string, boolean] => [text, false]),
]);

/** What Go's strconv.ParseInt(text, 0, 64) takes: sign, then a 0x, 0o, 0b or 0 (octal) prefix or decimal. */
const GO_INTEGER = /^[-+]?(?:0[xX][0-9a-fA-F]+|0[bB][01]+|0[oO]?[0-7]+|[1-9][0-9]*|0)$/;
/** yaml.v2's yamlStyleFloat. */
const YAML_V2_FLOAT = /^[-+]?(?:\.[0-9]+|[0-9]+(?:\.[0-9]*)?)(?:[eE][-+]?[0-9]+)?$/;
const YAML_V2_SPECIAL_FLOATS = new Map<string, number>([
  ...['.inf', '.Inf', '.INF', '+.inf', '+.Inf', '+.INF'].map((text): [string, number] => [text, Infinity]),
  ...['-.inf', '-.Inf', '-.INF'].map((text): [string, number] => [text, -Infinity]),
  ...['.nan', '.NaN', '.NAN'].map((text): [string, number] => [text, NaN]),
]);

/** A plain scalar's number as yaml.v2 resolves it (underscores dropped first, as it does), or undefined. */
export function yamlV2Number(text: string): number | undefined {
  const special = YAML_V2_SPECIAL_FLOATS.get(text);
  if (special !== undefined) return special;
  const plain = text.replaceAll('_', '');
  if (GO_INTEGER.test(plain)) {
    const negative = plain.startsWith('-');
    const digits = plain.replace(/^[-+]/, '');
    const magnitude = /^0[0-7]/.test(digits) ? Number.parseInt(digits.slice(1), 8) : /^0[oO]/.test(digits) ? Number.parseInt(digits.slice(2), 8) : Number(digits);
    return negative ? -magnitude : magnitude;
  }
  if (YAML_V2_FLOAT.test(plain)) return Number(plain);
  return undefined;
}

function kindOf(node: Node): string {
  return isSeq(node) ? 'list' : 'mapping';
}

/**
 * Typed, position-aware access to a YAML document. Every accessor takes the field path so a wrong value
 * becomes a ConfigError naming file, line, column and field. Like upstream's Go decoder, keys nobody asks
 * for are ignored and `key:` without a value counts as absent.
 */
export class YamlReader {
  private readonly lineCounter = new LineCounter();
  readonly doc: Document;
  /** The text the yaml package parsed: the file, less the static_maps read by the scanner. */
  private readonly text: string;
  private readonly cuts: readonly Cut[];
  private readonly staticMaps: ReadonlyMap<number, ReadonlyMap<string, string>>;

  constructor(
    text: string,
    readonly file: string,
  ) {
    // Lines are counted in the file itself, so positions stay right where the scanner took text out.
    this.lineCounter.addNewLine(0);
    for (let newline = text.indexOf('\n'); newline !== -1; newline = text.indexOf('\n', newline + 1)) this.lineCounter.addNewLine(newline + 1);
    let scanned = scanStaticMaps(text);
    let doc = YamlReader.parse(scanned.text);
    // A placeholder that did not become a mapping's static_map value (the key line sat in a block scalar,
    // say) means the scanner misread the file: the yaml package reads all of it instead.
    if (scanned.maps.length > 0 && (doc.errors.length > 0 || !YamlReader.placeholdersLanded(doc, scanned))) {
      scanned = { text, maps: [], cuts: [] };
      doc = YamlReader.parse(text);
    }
    this.doc = doc;
    this.text = scanned.text;
    this.cuts = scanned.cuts;
    this.staticMaps = new Map(scanned.maps.map((map) => [map.placeholderOffset, map.entries]));
    const [syntaxError] = this.doc.errors;
    if (syntaxError) {
      const at = this.lineCounter.linePos(this.originalOffset(syntaxError.pos[0]));
      const problem = syntaxError.message.split('\n')[0] as string;
      throw new ConfigError(file, at.line, at.col, '', problem);
    }
  }

  private static parse(text: string): Document {
    // Structure only: scalars are typed by the field that reads them, with yaml.v2's YAML 1.1 rules (below),
    // so keys and strings keep their spelling. yaml.v2 (not in strict mode, as upstream calls it) lets a
    // repeated key win over the earlier one and expands `<<` merge keys.
    return parseDocument(text, { prettyErrors: false, uniqueKeys: false, merge: true });
  }

  private static placeholdersLanded(doc: Document, scanned: ScannedText): boolean {
    const expected = new Set(scanned.maps.map((map) => map.placeholderOffset));
    const landed = new Set<number>();
    visit(doc, {
      Pair(_, pair, path) {
        const { key, value } = pair;
        const parent = path[path.length - 1];
        if (!isScalar(value) || !value.range || !expected.has(value.range[0])) return;
        const isPlaceholder = value.type === 'PLAIN' && value.value === STATIC_MAP_PLACEHOLDER;
        if (isPlaceholder && isScalar(key) && key.value === 'static_map' && isMap(parent) && !parent.flow) landed.add(value.range[0]);
      },
    });
    return landed.size === expected.size;
  }

  /** Where an offset of the parsed text is in the file. */
  private originalOffset(offset: number): number {
    let original = offset;
    for (const cut of this.cuts) {
      if (cut.after > offset) break;
      original += cut.removed;
    }
    return original;
  }

  position(node: Node | undefined): SourcePosition {
    const at = this.lineCounter.linePos(this.originalOffset(node?.range?.[0] ?? 0));
    return { line: at.line, column: at.col };
  }

  error(node: Node | undefined, field: string, problem: string): ConfigError {
    const at = this.position(node);
    return new ConfigError(this.file, at.line, at.column, field, problem);
  }

  /** The document root as a mapping; an empty file reads as an empty mapping. */
  root(): YAMLMap | undefined {
    const contents = this.resolve(this.doc.contents ?? undefined);
    if (contents === undefined) return undefined;
    return this.map(contents, '(root)');
  }

  private resolve(node: unknown): Node | undefined {
    const resolved = isAlias(node) ? node.resolve(this.doc) : node;
    if (resolved === undefined || resolved === null) return undefined;
    if (isScalar(resolved) && resolved.value === null) return undefined;
    return resolved as Node;
  }

  /**
   * The value node at `key` (the last one when the key is repeated), or undefined when it is missing or
   * empty. Keys of the mapping win over those merged in with `<<`, as in yaml.v2.
   */
  get(map: YAMLMap | undefined, key: string, merging = 0): Node | undefined {
    if (!map) return undefined;
    const merged: Node[] = [];
    for (let index = map.items.length - 1; index >= 0; index--) {
      const pair = map.items[index] as (typeof map.items)[number];
      const pairKey = this.resolve(pair.key);
      if (!isScalar(pairKey)) continue;
      const text = this.scalarText(pairKey);
      if (text === key) return this.resolve(pair.value);
      const value = this.resolve(pair.value);
      if (text === '<<' && value) merged.push(...(isSeq(value) ? value.items.map((item) => this.resolve(item)).filter((item) => item !== undefined) : [value]));
    }
    // An alias cycle through merge keys would never end; yaml.v2 refuses such documents too.
    if (merging > MAX_MERGE_DEPTH) throw this.error(map, key, 'merge keys nest too deep');
    for (const source of merged) {
      const found = isMap(source) ? this.get(source, key, merging + 1) : undefined;
      if (found !== undefined) return found;
    }
    return undefined;
  }

  map(node: Node, field: string): YAMLMap {
    if (!isMap(node)) throw this.error(node, field, 'must be a mapping');
    return node;
  }

  seq(node: Node, field: string): YAMLSeq {
    if (!isSeq(node)) throw this.error(node, field, 'must be a list');
    return node;
  }

  /** Items of a list, alias-resolved; empty items are kept as undefined so indexes stay right. */
  items(node: Node, field: string): (Node | undefined)[] {
    return this.seq(node, field).items.map((item) => this.resolve(item));
  }

  /**
   * A mapping of strings to strings (a static_map): a null key or value reads as '', as yaml.v2 decodes
   * it into a Go string; a list or mapping as a key or value is refused rather than read as ''.
   */
  stringMap(node: Node, field: string): ReadonlyMap<string, string> {
    const scanned = isScalar(node) && node.range ? this.staticMaps.get(node.range[0]) : undefined;
    if (scanned) return scanned;
    const entries = new Map<string, string>();
    for (const pair of this.map(node, field).items) {
      const key = this.resolve(pair.key);
      if (key !== undefined && !isScalar(key)) throw this.error(key, field, `keys must be strings, not ${kindOf(key)}s`);
      const keyText = key === undefined ? '' : this.scalarText(key);
      const value = this.resolve(pair.value);
      if (value !== undefined && !isScalar(value)) throw this.error(value, `${field}.${keyText}`, `must be a string, not a ${kindOf(value)}`);
      entries.set(keyText, value === undefined ? '' : this.scalarText(value));
    }
    return entries;
  }

  /**
   * A scalar as text with its source spelling (`0x10` stays `0x10`, `1.0` stays `1.0`), which is what Go's
   * yaml package stores when it decodes any scalar into a string.
   */
  scalarText(node: Scalar): string {
    if (node.type === 'PLAIN' && node.range) return this.text.slice(node.range[0], node.range[1]);
    return String(node.value);
  }

  string(node: Node, field: string): string {
    if (!isScalar(node)) throw this.error(node, field, 'must be a string');
    return this.scalarText(node);
  }

  /** Go's yaml.v2 reads an int field from a plain int scalar, or from a float one with an integral value. */
  integer(node: Node, field: string): number {
    const value = isScalar(node) && node.type === 'PLAIN' ? yamlV2Number(this.scalarText(node)) : undefined;
    if (value === undefined || !Number.isInteger(value)) throw this.error(node, field, 'must be an integer');
    // Beyond 2^53 doubles skip integers: sizes, bucket indexes and limits would silently change.
    if (!Number.isSafeInteger(value)) throw this.error(node, field, 'must be an integer between -(2^53 - 1) and 2^53 - 1');
    return value;
  }

  number(node: Node, field: string): number {
    const value = isScalar(node) && node.type === 'PLAIN' ? yamlV2Number(this.scalarText(node)) : undefined;
    if (value === undefined) throw this.error(node, field, 'must be a number');
    return value;
  }

  boolean(node: Node, field: string): boolean {
    const value = isScalar(node) && node.type === 'PLAIN' ? YAML_V2_BOOLEANS.get(this.scalarText(node)) : undefined;
    if (value === undefined) throw this.error(node, field, 'must be true or false');
    return value;
  }
}
