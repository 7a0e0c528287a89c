// Log lines in the shape upstream's Go `log` package prints (`2006/01/02 15:04:05 message`), so log
// scrapers written for upstream keep matching. Debug lines (libbpf's chatter) only appear with --debug.

export interface Logger {
  info(message: string): void;
  warn(message: string): void;
  debug(message: string): void;
}

export interface LoggerOptions {
  timestamps: boolean;
  debug: boolean;
  write?: (line: string) => void;
  now?: () => Date;
}

const pad = (n: number): string => String(n).padStart(2, '0');

function goLogTimestamp(date: Date): string {
  return `${date.getFullYear()}/${pad(date.getMonth() + 1)}/${pad(date.getDate())} ${pad(date.getHours())}:${pad(date.getMinutes())}:${pad(date.getSeconds())}`;
}

export function createLogger(options: LoggerOptions): Logger {
  const write = options.write ?? ((line: string) => process.stderr.write(line));
  const now = options.now ?? (() => new Date());
  const emit = (message: string): void => {
    const text = message.endsWith('\n') ? message : `${message}\n`;
    write(options.timestamps ? `${goLogTimestamp(now())} ${text}` : text);
  };
  return {
    info: emit,
    warn: emit,
    debug: (message) => {
      if (options.debug) emit(message);
    },
  };
}
