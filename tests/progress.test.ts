import { describe, expect, test } from 'vitest';
import { createLogger, type LogDestination } from '../src/logger.ts';
import { loggedProgress, terminalProgress } from '../src/progress.ts';

function clock(start = 1_000) {
  let time = start;
  return { now: () => time, advance: (ms: number) => (time += ms) };
}

describe('library load progress', () => {
  test('on a terminal: one line redrawn in place, at most every 100 ms, erased at the end', () => {
    const written: string[] = [];
    const time = clock();
    const show = terminalProgress({ isTTY: true, write: (text: string) => written.push(text) }, time.now)!;
    for (let done = 1; done <= 200; done++) {
      show({ done, total: 200, file: `story-${done}.txt` });
      time.advance(10);
    }
    expect(written[0]).toBe('\rLoading stories: 1/200');
    expect(written.length).toBeGreaterThan(10);
    expect(written.length).toBeLessThan(30);
    expect(written.at(-1)).toBe('\r\u001b[K');
  });

  test('nothing for a small folder, and no terminal line when output is not a terminal', () => {
    const written: string[] = [];
    const show = terminalProgress({ isTTY: true, write: (text: string) => written.push(text) })!;
    for (let done = 1; done <= 5; done++) show({ done, total: 5, file: 'a.txt' });
    expect(written).toEqual([]);
    expect(terminalProgress({ isTTY: false, write: () => undefined })).toBeUndefined();
  });

  test('in a log: a count every five seconds while the load goes on', () => {
    const lines: Record<string, unknown>[] = [];
    const destination: LogDestination = { write: (line) => lines.push(JSON.parse(line)) };
    const time = clock();
    const report = loggedProgress(createLogger({ level: 'info', destination }), time.now);
    for (let done = 1; done <= 221; done++) {
      report({ done, total: 221, file: `story-${done}.txt` });
      time.advance(100);
    }
    expect(lines.map((line) => [line.msg, line.done, line.total])).toEqual([
      ['loading stories', 51, 221],
      ['loading stories', 101, 221],
      ['loading stories', 151, 221],
      ['loading stories', 201, 221],
    ]);
  });
});
