import { readFile } from 'node:fs/promises';
import { isMap, isScalar, isSeq, LineCounter, parseDocument, type Node, type YAMLMap } from 'yaml';

export type KernelSource =
  | { type: 'debian'; package: RegExp }
  | { type: 'ubuntu-mainline'; tag: string }
  | { type: 'host' };

export interface KernelSpec {
  id: string;
  version: string;
  arch: 'x86_64';
  source: KernelSource;
}

/** A matrix-file mistake, located as `file:line:column: field: problem`. */
export class KernelMatrixError extends Error {}

const SUPPORTED_ARCHES = ['x86_64'] as const;

/** Parses and validates `kernels.yaml`; every error names the file, line and field. */
export function parseKernelMatrix(text: string, file: string): KernelSpec[] {
  const lineCounter = new LineCounter();
  const doc = parseDocument(text, { lineCounter });
  const fail = (node: Node | null | undefined, field: string, problem: string): never => {
    const offset = node?.range?.[0] ?? 0;
    const { line, col } = lineCounter.linePos(offset);
    throw new KernelMatrixError(`${file}:${line}:${col}: ${field}: ${problem}`);
  };
  const firstError = doc.errors[0];
  if (firstError) {
    const [line, col] = firstError.linePos?.[0] ? [firstError.linePos[0].line, firstError.linePos[0].col] : [1, 1];
    throw new KernelMatrixError(`${file}:${line}:${col}: ${firstError.message.split('\n')[0]}`);
  }
  const root = doc.contents;
  if (!isMap(root)) return fail(root, 'kernels', 'the file must be a mapping with a `kernels` list');
  const list = root.get('kernels', true);
  if (!isSeq(list)) return fail(list ?? root, 'kernels', 'must be a list');

  const seen = new Set<string>();
  return list.items.map((item, index) => {
    const where = `kernels[${index}]`;
    if (!isMap(item)) return fail(item as Node, where, 'must be a mapping');
    const text = (map: YAMLMap, key: string, field: string): string => {
      const value = map.get(key, true);
      if (!isScalar(value) || typeof value.value !== 'string' || value.value === '') {
        return fail(value ?? map, field, 'must be a non-empty string (quote numbers such as "6.1")');
      }
      return value.value;
    };
    const id = text(item, 'id', `${where}.id`);
    if (seen.has(id)) fail(item.get('id', true) as Node, `${where}.id`, `duplicate id "${id}"`);
    seen.add(id);
    const arch = text(item, 'arch', `${where}.arch`);
    if (!(SUPPORTED_ARCHES as readonly string[]).includes(arch)) {
      fail(item.get('arch', true) as Node, `${where}.arch`, `must be one of ${SUPPORTED_ARCHES.join(', ')}`);
    }
    const sourceNode = item.get('source', true);
    if (!isMap(sourceNode)) return fail(sourceNode ?? item, `${where}.source`, 'must be a mapping with a `type`');
    const type = text(sourceNode, 'type', `${where}.source.type`);
    let source: KernelSource;
    if (type === 'debian') {
      const pattern = text(sourceNode, 'package', `${where}.source.package`);
      try {
        source = { type, package: new RegExp(pattern) };
      } catch (error) {
        return fail(sourceNode.get('package', true) as Node, `${where}.source.package`, (error as Error).message);
      }
    } else if (type === 'ubuntu-mainline') {
      source = { type, tag: text(sourceNode, 'tag', `${where}.source.tag`) };
    } else if (type === 'host') {
      source = { type };
    } else {
      return fail(sourceNode.get('type', true) as Node, `${where}.source.type`, 'must be one of debian, ubuntu-mainline, host');
    }
    return { id, version: text(item, 'version', `${where}.version`), arch: 'x86_64', source };
  });
}

export async function loadKernelMatrix(file: string): Promise<KernelSpec[]> {
  return parseKernelMatrix(await readFile(file, 'utf8'), file);
}

/** Picks kernels by id, in the order asked, with one error listing every unknown id. */
export function selectKernels(all: KernelSpec[], ids: string[]): KernelSpec[] {
  const unknown = ids.filter((id) => !all.some((kernel) => kernel.id === id));
  if (unknown.length > 0) {
    throw new KernelMatrixError(
      `unknown kernel id ${unknown.map((id) => `"${id}"`).join(', ')}; known: ${all.map((k) => k.id).join(', ')}`,
    );
  }
  return ids.map((id) => all.find((kernel) => kernel.id === id)!);
}
