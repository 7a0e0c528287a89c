import { describe, expect, it } from 'vitest';
import { FlagError, helpText, parseCommandLine } from './flags';

const required = ['--config.dir=examples', '--config.names=timers,biolatency'];

describe('parseCommandLine', () => {
  it('applies upstream defaults', () => {
    const parsed = parseCommandLine(required);
    if (parsed.action !== 'run') throw new Error('expected run');
    expect(parsed.flags).toMatchObject({
      configDir: 'examples',
      configNames: ['timers', 'biolatency'],
      listenAddress: ':9435',
      telemetryPath: '/metrics',
      configCheck: false,
      configStrict: false,
      debug: false,
      btfPath: '',
    });
  });

  it('accepts space separated values, bare and negated booleans', () => {
    const parsed = parseCommandLine(['--config.dir', 'x', '--config.names', 'a', '--debug', '--no-log.no-timestamps', '--config.check=true']);
    if (parsed.action !== 'run') throw new Error('expected run');
    expect(parsed.flags.configDir).toBe('x');
    expect(parsed.flags.debug).toBe(true);
    expect(parsed.flags.logNoTimestamps).toBe(false);
    expect(parsed.flags.configCheck).toBe(true);
  });

  it('parses integers and rejects garbage', () => {
    const parsed = parseCommandLine([...required, '--config.cache-size=5']);
    if (parsed.action !== 'run') throw new Error('expected run');
    expect(parsed.flags.labelCacheSize).toBe(5);
    expect(() => parseCommandLine([...required, '--config.cache-size=lots'])).toThrow(/expected an integer/);
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
