import { isAlias, isMap, isScalar, isSeq, LineCounter, parseDocument } from 'yaml';
import type { Document, Node, Scalar, YAMLMap, YAMLSeq } from 'yaml';
import { ConfigError } from './config-error';
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

/**
 * Typed, position-aware access to a YAML document. Every accessor takes the field path so a wrong value
 * becomes a ConfigError naming file, line, column and field. Like upstream's Go decoder, keys nobody asks
 * for are ignored and `key:` without a value counts as absent.
 */
export class YamlReader {
  private readonly lineCounter = new LineCounter();
  readonly doc: Document;

  constructor(
    private readonly text: string,
    readonly file: string,
  ) {
    // Structure only: scalars are typed by the field that reads them, with yaml.v2's YAML 1.1 rules (below),
    // so keys and strings keep their spelling. yaml.v2 (not in strict mode, as upstream calls it) lets a
    // repeated key win over the earlier one and expands `<<` merge keys.
    this.doc = parseDocument(text, { lineCounter: this.lineCounter, prettyErrors: false, uniqueKeys: false, merge: true });
    const [syntaxError] = this.doc.errors;
    if (syntaxError) {
      const at = this.lineCounter.linePos(syntaxError.pos[0]);
      const problem = syntaxError.message.split('\n')[0] as string;
      throw new ConfigError(file, at.line, at.col, '', problem);
    }
  }

  position(node: Node | undefined): SourcePosition {
    const at = this.lineCounter.linePos(node?.range?.[0] ?? 0);
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

  /** Mapping entries as [key text, value node] pairs. */
  entries(node: Node, field: string): [string, Node | undefined][] {
    return this.map(node, field).items.map((pair) => {
      const key = this.resolve(pair.key);
      return [key && isScalar(key) ? this.scalarText(key) : '', this.resolve(pair.value)];
    });
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
