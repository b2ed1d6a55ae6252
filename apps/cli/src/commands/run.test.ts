import { describe, expect, it } from 'vitest';
import { parseRunArgs } from './run.js';

describe('meshviz run arguments', () => {
  it('turns a command line into the request a running mesh takes', () => {
    expect(parseRunArgs(['-n', 'shop', '--name', 'api', '-p', '8080', '--ready-path', '/ready', '-e', 'A=b=c', '--', 'node', 'server.js', '--x'], '/src')).toEqual({
      namespace: 'shop',
      name: 'api',
      command: ['node', 'server.js', '--x'],
      env: { A: 'b=c' },
      cwd: '/src',
      port: 8080,
      readiness: { httpGet: { path: '/ready' } },
    });
    expect(parseRunArgs(['-n', 'shop', '--name', 'worker', '--', 'python3', 'worker.py'], '/src')).toEqual({
      namespace: 'shop',
      name: 'worker',
      command: ['python3', 'worker.py'],
      env: {},
      cwd: '/src',
    });
  });

  it.each([
    [['--name', 'api', '--', 'node'], /needs -n/],
    [['-n', 'shop', '--', 'node'], /needs --name/],
    [['-n', 'shop', '--name', 'api'], /needs the program to run after --/],
    [['-n', 'shop', '--name', 'api', '-p', '70000', '--', 'node'], /--port must be 1\.\.65535/],
    [['-n', 'shop', '--name', 'api', '--ready-path', '/r', '--', 'node'], /--ready-path .* needs --port/],
    [['-n', 'shop', '--name', 'api', '-e', '1X=2', '--', 'node'], /--env "1X=2" must be NAME=value/],
  ])('refuses %j', (argv, message) => {
    expect(() => parseRunArgs(argv, '/src')).toThrow(message);
  });
});
