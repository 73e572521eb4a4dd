/**
 * Structured logging for the core. The shell writes JSON lines to a file; tests use
 * the memory logger to assert on what was logged. Fields are redacted
 * (ops/redact.ts) before they are written; still, put ids and counts in them, not text.
 */
import { redactFields } from '../ops/redact';

export type LogLevel = 'debug' | 'info' | 'warn' | 'error';

export interface LogRecord {
  level: LogLevel;
  msg: string;
  time: string;
  fields?: Record<string, unknown>;
}

export interface Logger {
  log(level: LogLevel, msg: string, fields?: Record<string, unknown>): void;
}

export function createStreamLogger(
  write: (line: string) => void,
  minLevel: LogLevel = 'info',
): Logger {
  const order: LogLevel[] = ['debug', 'info', 'warn', 'error'];
  const min = order.indexOf(minLevel);
  return {
    log(level, msg, fields) {
      if (order.indexOf(level) < min) return;
      const record: LogRecord = { level, msg, time: new Date().toISOString() };
      if (fields) record.fields = redactFields(fields);
      write(JSON.stringify(record) + '\n');
    },
  };
}

export interface MemoryLogger extends Logger {
  readonly records: LogRecord[];
}

export function createMemoryLogger(): MemoryLogger {
  const records: LogRecord[] = [];
  return {
    records,
    log(level, msg, fields) {
      records.push({ level, msg, time: new Date().toISOString(), ...(fields ? { fields } : {}) });
    },
  };
}

/** Sends every record to each logger (stderr and the rotating file, for instance). */
export function teeLogger(...loggers: Logger[]): Logger {
  return { log: (level, msg, fields) => loggers.forEach((l) => l.log(level, msg, fields)) };
}

export const silentLogger: Logger = { log: () => undefined };
