import { describe, expect, it } from 'vitest';
import { expandVars } from './components.js';
import { listeningPorts } from './readiness.js';

describe('a program command line', () => {
  it('expands $(VAR) from its environment as Kubernetes does, keeping $$(VAR) and unknown names as written', () => {
    const env = { PORT: '8080', NAME: 'api' };
    expect(['$(PORT)', '--name=$(NAME)-x', '$$(PORT)', '$(NOPE)', '$PORT'].map((a) => expandVars(a, env))).toEqual([
      '8080',
      '--name=api-x',
      '$(PORT)',
      '$(NOPE)',
      '$PORT',
    ]);
  });
});

describe('listeningPorts', () => {
  it('lists the ports of LISTEN sockets of a /proc/net/tcp table', () => {
    const table = [
      '  sl  local_address rem_address   st tx_queue rx_queue tr tm->when retrnsmt   uid  timeout inode',
      '   0: 00000000:1F90 00000000:0000 0A 00000000:00000000 00:00000000 00000000     0        0 1 1 0 100 0 0 10 0',
      '   1: 0100007F:102C 00000000:0000 0A 00000000:00000000 00:00000000 00000000  2102        0 2 1 0 100 0 0 10 0',
      '   2: 0100007F:9C40 0100007F:1F90 01 00000000:00000000 00:00000000 00000000     0        0 3 1 0 20 4 30 10 -1',
    ].join('\n');
    expect([...listeningPorts(table)]).toEqual([8080, 4140]);
  });
});
