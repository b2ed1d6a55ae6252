import { spawn } from 'node:child_process';
import type { InterceptionSpec } from '@meshviz/mesh-types';
import { applyScript, cleanupScript } from './rules.js';

export interface IptablesOptions {
  /** A named network namespace to work in (`ip netns exec <name>`); undefined: the current one. */
  readonly netns?: string | undefined;
}

/** A command that failed: its command line and its stderr are in the message. */
export class IptablesError extends Error {
  override name = 'IptablesError';
}

/** Installs the spec's rules in one transaction; running it again replaces them rather than adding copies. */
export async function applyInterception(spec: InterceptionSpec, options: IptablesOptions = {}): Promise<string> {
  const script = applyScript(spec, await saveNat(options));
  await run(['iptables-restore', '--noflush'], options, script);
  return script;
}

/** Removes meshviz's chains and the jumps into them, and nothing else. Returns whether there was anything. */
export async function removeInterception(options: IptablesOptions = {}): Promise<boolean> {
  const script = cleanupScript(await saveNat(options));
  if (script === undefined) return false;
  await run(['iptables-restore', '--noflush'], options, script);
  return true;
}

/** The nat table as `iptables-save` prints it. */
export function saveNat(options: IptablesOptions = {}): Promise<string> {
  return run(['iptables-save', '-t', 'nat'], options);
}

/** Runs a command (inside the namespace when one is given), feeding `input`; rejects naming it and its stderr. */
function run(argv: readonly string[], options: IptablesOptions, input?: string): Promise<string> {
  const full = options.netns === undefined ? [...argv] : ['ip', 'netns', 'exec', options.netns, ...argv];
  const shown = full.join(' ');
  return new Promise((resolve, reject) => {
    const child = spawn(full[0]!, full.slice(1), { stdio: ['pipe', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk: Buffer) => {
      stdout += chunk.toString();
    });
    child.stderr.on('data', (chunk: Buffer) => {
      stderr += chunk.toString();
    });
    // A command that exits before reading its input must not turn into an uncaught EPIPE.
    child.stdin.on('error', () => {});
    child.once('error', (error) => reject(new IptablesError(`${shown}: ${error.message}`)));
    child.once('close', (code, signal) => {
      if (code === 0) resolve(stdout);
      else reject(new IptablesError(`${shown} failed (${signal ?? `exit ${code}`}): ${stderr.trim() || 'no output'}`));
    });
    child.stdin.end(input ?? '');
  });
}
