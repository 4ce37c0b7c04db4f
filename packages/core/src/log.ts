import winston from 'winston';
import { redact, redactValue } from './secrets.js';

export type Logger = winston.Logger;

const scrub = winston.format((info) => {
  const out = redactValue({ ...info });
  out.message = redact(String(info.message));
  return Object.assign(info, out);
});

/**
 * JSON lines when stderr is not a terminal (files, journald, CI); short human lines on a
 * terminal. Logs go to stderr so stdout stays for command output.
 */
export function createLogger(options: { level?: string; json?: boolean } = {}): Logger {
  const json = options.json ?? !process.stderr.isTTY;
  const level = options.level ?? process.env.LOG_LEVEL ?? 'info';
  return winston.createLogger({
    level,
    format: winston.format.combine(
      scrub(),
      winston.format.timestamp(),
      json
        ? winston.format.json()
        : winston.format.printf(({ level: l, message, timestamp: _t, ...rest }) => {
            const extra = Object.keys(rest).length ? ` ${JSON.stringify(rest)}` : '';
            return `${l}: ${message}${extra}`;
          }),
    ),
    transports: [new winston.transports.Console({ stderrLevels: ['error', 'warn', 'info', 'http', 'verbose', 'debug', 'silly'] })],
  });
}

/** A logger that discards everything (library use, tests). */
export function silentLogger(): Logger {
  return winston.createLogger({ silent: true, transports: [new winston.transports.Console({ silent: true })] });
}
