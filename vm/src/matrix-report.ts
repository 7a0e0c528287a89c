/** One example in one kernel, as the example runner (examples/harness/check.ts) reports it. */
export interface MatrixRow {
  example: string;
  kernel: string;
  /** The guest's `uname -r`, as the runner saw it. */
  kernelRelease?: string;
  attachTypes: string[];
  status: 'pass' | 'fail' | 'unsupported';
  reason: string;
}

/** What happened to one kernel of the matrix as a whole. */
export interface KernelOutcome {
  id: string;
  version: string;
  status: 'ran' | 'unavailable' | 'error';
  reason?: string;
  kernelBuild?: string;
  engine?: string;
  accelerator?: string;
  bootSeconds?: number;
  runSeconds?: number;
}

/** The whole matrix: per kernel what happened, per kernel × example (or × user config) the result. */
export interface MatrixReport<Row = MatrixRow> {
  generatedAt: string;
  totalSeconds: number;
  kernels: KernelOutcome[];
  results: Row[];
}

const STATUSES = ['pass', 'fail', 'unsupported'] as const;

/**
 * Validates the runner's JSON (`[{ example, kernel, attachTypes, status, reason }]`) and relabels
 * each row with the matrix's kernel id; one error names the file, the row and the field.
 */
export function parseRunnerReport(text: string, file: string, kernelId: string): MatrixRow[] {
  let data: unknown;
  try {
    data = JSON.parse(text);
  } catch (error) {
    throw new Error(`${file}: not JSON: ${(error as Error).message}`);
  }
  if (!Array.isArray(data)) throw new Error(`${file}: expected a JSON array of results`);
  return data.map((item: unknown, index) => {
    const at = `${file}: [${index}]`;
    const row = item as Record<string, unknown>;
    if (typeof row !== 'object' || row === null) throw new Error(`${at}: expected an object`);
    if (typeof row['example'] !== 'string') throw new Error(`${at}.example: expected a string`);
    if (!Array.isArray(row['attachTypes']) || !row['attachTypes'].every((type) => typeof type === 'string')) {
      throw new Error(`${at}.attachTypes: expected an array of strings`);
    }
    const status = row['status'];
    if (!(STATUSES as readonly unknown[]).includes(status)) throw new Error(`${at}.status: expected one of ${STATUSES.join(', ')}`);
    return {
      example: row['example'],
      kernel: kernelId,
      ...(typeof row['kernel'] === 'string' ? { kernelRelease: row['kernel'] } : {}),
      attachTypes: row['attachTypes'] as string[],
      status: status as MatrixRow['status'],
      reason: typeof row['reason'] === 'string' ? row['reason'] : '',
    };
  });
}

/** A matrix fails when an example fails where it should pass, or a kernel could not be run at all. */
export function matrixFailed(report: MatrixReport): boolean {
  return report.results.some((row) => row.status === 'fail') || report.kernels.some((kernel) => kernel.status === 'error');
}

export const cell = (text: string) => text.replaceAll('|', '\\|').replaceAll('\n', ' ');
const seconds = (value: number | undefined) => (value === undefined ? '—' : `${value.toFixed(1)} s`);

/** How the second table of matrix.md shows one result row. */
export interface ResultColumns<Row> {
  headers: string[];
  cells(row: Row): string[];
}

export const EXAMPLE_COLUMNS: ResultColumns<MatrixRow> = {
  headers: ['kernel', 'example', 'attach types', 'status', 'reason'],
  cells: (row) => [row.kernel, row.example, row.attachTypes.join(', '), row.status, row.reason],
};

export function renderMarkdown<Row>(report: MatrixReport<Row>, columns: ResultColumns<Row>): string {
  const tableRow = (cells: string[]) => `| ${cells.map(cell).join(' | ')} |`;
  const lines = [
    '# Kernel matrix',
    '',
    `Generated ${report.generatedAt}, ${report.totalSeconds.toFixed(0)} s in total.`,
    '',
    '| kernel | build | engine | boot | run | status |',
    '|---|---|---|---|---|---|',
    ...report.kernels.map((kernel) => {
      const status = kernel.status === 'unavailable' ? `not available here: ${kernel.reason}` : kernel.status === 'error' ? `error: ${kernel.reason}` : 'ran';
      const engine = kernel.engine ? `${kernel.engine}/${kernel.accelerator}` : '—';
      return tableRow([kernel.id, kernel.kernelBuild ?? '—', engine, seconds(kernel.bootSeconds), seconds(kernel.runSeconds), status]);
    }),
    '',
    tableRow(columns.headers),
    `|${columns.headers.map(() => '---|').join('')}`,
    ...report.results.map((row) => tableRow(columns.cells(row))),
    '',
  ];
  return lines.join('\n');
}
