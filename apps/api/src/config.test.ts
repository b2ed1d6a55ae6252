import { describe, expect, it } from 'vitest';
import { parseConfig } from './config.js';

describe('parseConfig', () => {
  it('uses documented defaults', () => {
    expect(parseConfig({})).toMatchObject({
      listen: { host: '127.0.0.1', port: 8085 },
      prometheusUrl: 'http://127.0.0.1:9090',
    });
  });
  it('takes the destinations file, optional', () => {
    expect(parseConfig({}).destinationsFile).toBeUndefined();
    expect(parseConfig({ API_DESTINATIONS_FILE: 'destinations.json' }).destinationsFile).toBe('destinations.json');
    expect(() => parseConfig({ API_DESTINATIONS_FILE: '' })).toThrow(/^API_DESTINATIONS_FILE/);
  });
  it('takes the recorded windows, none by default', () => {
    expect(parseConfig({}).recordedWindows).toEqual([]);
    expect(parseConfig({ API_RECORDED_WINDOWS: '1m, 5m' }).recordedWindows).toEqual(['1m', '5m']);
    expect(() => parseConfig({ API_RECORDED_WINDOWS: '1m,soon' })).toThrow(/^API_RECORDED_WINDOWS: "soon" is not a window/);
  });
  it('names the bad variable', () => {
    expect(() => parseConfig({ API_LISTEN_ADDR: 'nope' })).toThrow(/^API_LISTEN_ADDR: must be host:port/);
    expect(() => parseConfig({ API_PROMETHEUS_URL: 'ftp://x' })).toThrow(/^API_PROMETHEUS_URL/);
  });
});

describe('API_LIVE_REFRESH_INTERVAL', () => {
  it('is the scrape interval unless set; a duration or off', () => {
    expect(parseConfig({}).liveRefreshSeconds).toBeUndefined();
    expect(parseConfig({ API_LIVE_REFRESH_INTERVAL: '15s' }).liveRefreshSeconds).toBe(15);
    expect(parseConfig({ API_LIVE_REFRESH_INTERVAL: 'off' }).liveRefreshSeconds).toBe('off');
  });
  it('names the variable when the value is no duration', () => {
    for (const bad of ['soon', '0s', '', '-5s']) {
      expect(() => parseConfig({ API_LIVE_REFRESH_INTERVAL: bad })).toThrow(/^API_LIVE_REFRESH_INTERVAL: must be a duration such as 5s, or off/);
    }
  });
});

describe('API_ANSWER_WORKER_HEAP_MB', () => {
  it('is 1024 MB unless set; a number of megabytes or off', () => {
    expect(parseConfig({}).answerWorkerHeapMb).toBe(1024);
    expect(parseConfig({ API_ANSWER_WORKER_HEAP_MB: '512' }).answerWorkerHeapMb).toBe(512);
    expect(parseConfig({ API_ANSWER_WORKER_HEAP_MB: 'off' }).answerWorkerHeapMb).toBe('off');
  });
  it('names the variable when the value is no size it can take', () => {
    for (const bad of ['lots', '32', '', '-512', '1.5', '512MB']) {
      expect(() => parseConfig({ API_ANSWER_WORKER_HEAP_MB: bad })).toThrow(/^API_ANSWER_WORKER_HEAP_MB: must be a number of megabytes \(at least 64\), or off/);
    }
  });
});
