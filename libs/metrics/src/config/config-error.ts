/** A problem in a config file, pointing at the file, line, column and field path. */
export class ConfigError extends Error {
  override name = 'ConfigError';

  constructor(
    readonly file: string,
    readonly line: number,
    readonly column: number,
    /** Dotted path such as `metrics.histograms[0].bucket_type`; empty for YAML syntax errors. */
    readonly field: string,
    /** The problem alone, without the location prefix. */
    readonly problem: string,
  ) {
    super(`${file}:${line}:${column}: ${field === '' ? '' : `${field}: `}${problem}`);
  }
}
