import { describe, expect, it } from 'vitest';
import { FlagError, helpText, parseCommandLine } from './flags';

const required = ['--config.dir=examples', '--config.names=timers,biolatency'];

describe('parseCommandLine', () => {
  it('applies upstream defaults', () => {
    const parsed = parseCommandLine(required);
    if (parsed.action !== 'run') throw new Error('expected run');
    expect(parsed.flags).toMatchObject({
      configDir: 'examples',
      configNames: { list: ['timers', 'biolatency'] },
      enableLifecycle: false,
      listenAddress: ':9435',
      telemetryPath: '/metrics',
      configCheck: false,
      configStrict: false,
      debug: false,
      btfPath: '',
      histogramsNative: true,
      histogramsClassic: true,
    });
  });

  it('turns native or classic histogram buckets off with --no-histograms.native, --histograms.classic=false', () => {
    const parsed = parseCommandLine([...required, '--no-histograms.native', '--histograms.classic=false']);
    if (parsed.action !== 'run') throw new Error('expected run');
    expect([parsed.flags.histogramsNative, parsed.flags.histogramsClassic]).toEqual([false, false]);
  });

  it('accepts space separated values, bare and negated booleans', () => {
    const parsed = parseCommandLine(['--config.dir', 'x', '--config.names', 'a', '--debug', '--no-log.no-timestamps', '--config.check=true']);
    if (parsed.action !== 'run') throw new Error('expected run');
    expect(parsed.flags.configDir).toBe('x');
    expect(parsed.flags.debug).toBe(true);
    expect(parsed.flags.logNoTimestamps).toBe(false);
    expect(parsed.flags.configCheck).toBe(true);
  });

  it('takes --config.names as a list, or as @FILE to read at startup and every reload', () => {
    const names = (value: string) => {
      const parsed = parseCommandLine(['--config.dir=x', `--config.names=${value}`]);
      return parsed.action === 'run' ? parsed.flags.configNames : undefined;
    };
    expect(names('a,b')).toEqual({ list: ['a', 'b'] });
    expect(names('@/etc/ebpf_exporter/names')).toEqual({ file: '/etc/ebpf_exporter/names' });
    expect(() => names(' , ')).toThrow(new FlagError('--config.names lists no config'));
  });

  it('parses integers and rejects garbage', () => {
    const parsed = parseCommandLine([...required, '--config.cache-size=5']);
    if (parsed.action !== 'run') throw new Error('expected run');
    expect(parsed.flags.labelCacheSize).toBe(5);
    expect(() => parseCommandLine([...required, '--config.cache-size=lots'])).toThrow(/expected an integer/);
  });

  it('reads --config.scrape-timeout as a Go duration, 5s by default', () => {
    const timeout = (...args: string[]) => {
      const parsed = parseCommandLine([...required, ...args]);
      return parsed.action === 'run' ? parsed.flags.scrapeTimeoutMs : NaN;
    };
    expect(timeout()).toBe(5000);
    expect(timeout('--config.scrape-timeout=250ms')).toBe(250);
    expect(timeout('--config.scrape-timeout=1m30s')).toBe(90_000);
    expect(timeout('--config.scrape-timeout=0')).toBe(0);
    expect(() => timeout('--config.scrape-timeout=5')).toThrow(/expected a duration like 5s or 500ms for '--config.scrape-timeout', got '5'/);
    expect(() => timeout('--config.scrape-timeout=-1s')).toThrow(/expected a duration/);
  });

  it('names the missing required flag and unknown flags', () => {
    expect(() => parseCommandLine(['--config.dir=x'])).toThrow(new FlagError('required flag --config.names not provided'));
    expect(() => parseCommandLine([...required, '--nope'])).toThrow(/unknown long flag '--nope'/);
    expect(() => parseCommandLine([...required, 'stray'])).toThrow(/unexpected argument 'stray'/);
    expect(() => parseCommandLine(['--config.dir'])).toThrow(/expected argument/);
  });

  it('answers help and version before checking required flags', () => {
    expect(parseCommandLine(['--help'])).toEqual({ action: 'help' });
    expect(parseCommandLine(['-h'])).toEqual({ action: 'help' });
    expect(parseCommandLine(['--version'])).toEqual({ action: 'version' });
  });

  it('documents every flag with its default in the help text', () => {
    const text = helpText();
    expect(text).toContain('--web.listen-address=ADDR');
    expect(text).toContain('(default: ":9435")');
    expect(text).toContain('--config.names=NAMES');
  });
});
