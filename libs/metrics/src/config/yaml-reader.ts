import { isAlias, isMap, isScalar, isSeq, LineCounter, parseDocument } from 'yaml';
import type { Document, Node, Scalar, YAMLMap, YAMLSeq } from 'yaml';
import { ConfigError } from './config-error';
import type { SourcePosition } from './types';

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
    this.doc = parseDocument(text, { lineCounter: this.lineCounter, prettyErrors: false });
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

  /** The value node at `key`, or undefined when the key is missing or empty. */
  get(map: YAMLMap | undefined, key: string): Node | undefined {
    if (!map) return undefined;
    for (const pair of map.items) {
      const pairKey = this.resolve(pair.key);
      if (isScalar(pairKey) && String(pairKey.value) === key) return this.resolve(pair.value);
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

  integer(node: Node, field: string): number {
    if (!isScalar(node) || typeof node.value !== 'number' || !Number.isInteger(node.value)) {
      throw this.error(node, field, 'must be an integer');
    }
    return node.value;
  }

  number(node: Node, field: string): number {
    if (!isScalar(node) || typeof node.value !== 'number') throw this.error(node, field, 'must be a number');
    return node.value;
  }

  boolean(node: Node, field: string): boolean {
    if (!isScalar(node) || typeof node.value !== 'boolean') throw this.error(node, field, 'must be true or false');
    return node.value;
  }
}
